// DescribeUserDetail (获取用户信息（新）): as DescribeUser, by UserId or else by OriginId, but
// the answer is a list: an OriginId is unique within an app only, so by OriginId it lists
// the user of that OriginId in each of the account's LCIC apps (oldest first); by UserId
// the one user. No match is ResourceNotFound.User (not an empty list), neither id
// MissingParameter, as DescribeUser answers.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { tencentErrors } from "../../../errors/tencent-common.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { userById, usersByOriginId } from "./users-store.ts";

export const describeUserDetail = defineAction({
  name: "DescribeUserDetail",
  request: Type.Object({
    UserId: Type.Optional(Type.String({ maxLength: 128 })),
    OriginId: Type.Optional(Type.String({ maxLength: 256 })),
  }),
  async handler(req, ctx) {
    const apps = await lcicAppIds(ctx);
    if (!req.UserId && !req.OriginId) throw tencentErrors.missingParameter("UserId");
    const byId = req.UserId ? await userById(ctx.db, req.UserId, apps) : null;
    const users = req.UserId ? (byId ? [byId] : []) : await usersByOriginId(ctx.db, req.OriginId!, apps);
    if (users.length === 0) throw lcicErrors.userNotFound();
    return { Users: users.map((u) => ({ ...u })) };
  },
});
