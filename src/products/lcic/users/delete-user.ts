// DeleteUser: a user still in a group is FailedOperation.UserIsAlreadyInGroup. A supervisor
// stops being one with the user.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { deleteUserRow, userById, userInAnyGroup } from "./users-store.ts";
import { removeSupervisors } from "../supervisors/supervisors-store.ts";

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
      if (await userInAnyGroup(tx, appId, user.UserId)) throw lcicErrors.userInGroup();
      await removeSupervisors(tx, appId, [user.UserId]);
      await deleteUserRow(tx, appId, user.UserId);
    });
    return {};
  },
});
