// DeleteUser: a user still in a group is FailedOperation.UserIsAlreadyInGroup.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { userById } from "./users-store.ts";

export const deleteUser = defineAction({
  name: "DeleteUser",
  request: Type.Object({ UserId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    // Read before the transaction: PGlite has one connection, a query outside an open
    // transaction would wait for it forever.
    const apps = await lcicAppIds(ctx);
    await ctx.db.transaction(async (tx) => {
      const user = await userById(tx, req.UserId, apps);
      if (!user) throw lcicErrors.userNotFound();
      const appId = String(user.SdkAppId);
      const inGroup = await tx.query("select 1 from lcic_group_members where app_id = $1 and user_id = $2 limit 1", [appId, user.UserId]);
      if (inGroup.rows.length > 0) throw lcicErrors.userInGroup();
      await tx.query("delete from lcic_users where app_id = $1 and user_id = $2", [appId, user.UserId]);
    });
    return {};
  },
});
