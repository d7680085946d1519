// DescribeUser: by UserId, or by OriginId ("UserId不为空时，OriginId不生效").
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { tencentErrors } from "../../../errors/tencent-common.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { userById, userByOriginId } from "./users-store.ts";

export const describeUser = defineAction({
  name: "DescribeUser",
  request: Type.Object({
    UserId: Type.Optional(Type.String({ maxLength: 128 })),
    OriginId: Type.Optional(Type.String({ maxLength: 256 })),
  }),
  async handler(req, ctx) {
    const apps = await lcicAppIds(ctx);
    if (!req.UserId && !req.OriginId) throw tencentErrors.missingParameter("UserId");
    const user = req.UserId ? await userById(ctx.db, req.UserId, apps) : await userByOriginId(ctx.db, req.OriginId!, apps);
    if (!user) throw lcicErrors.userNotFound();
    return { ...user };
  },
});
