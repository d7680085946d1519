// DescribeUser: by UserId, or by OriginId ("UserId不为空时，OriginId不生效").
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { tencentErrors } from "../../../errors/tencent-common.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { userById, userByOriginId } from "./users-store.ts";

export const describeUser = defineAction({
  name: "DescribeUser",
  request: Type.Object({ UserId: Type.Optional(Type.String({ maxLength: 128 })), OriginId: Type.Optional(Type.String({ maxLength: 256 })) }),
  async handler(req, ctx) {
    const apps = await lcicAppIds(ctx);
    let user;
    if (req.UserId) user = await userById(ctx.db, req.UserId, apps);
    else if (req.OriginId) user = await userByOriginId(ctx.db, req.OriginId, apps);
    else throw tencentErrors.missingParameter("UserId");
    if (!user) throw lcicErrors.userNotFound();
    return { ...user };
  },
});
