// DeleteSupervisor: the users stop being supervisors of the app. An id that is not a
// supervisor of the app (never was, or another app's user) is ResourceNotFound.User and none
// is removed, as DeleteGroup treats a missing group.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { removeSupervisors, supervisorsAmong } from "./supervisors-store.ts";

export const deleteSupervisor = defineAction({
  name: "DeleteSupervisor",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Users: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 1000 }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const users = [...new Set(req.Users)];
    await ctx.db.transaction(async (tx) => {
      if ((await supervisorsAmong(tx, app.appId, users)).size !== users.length) throw lcicErrors.userNotFound();
      await removeSupervisors(tx, app.appId, users);
    });
    return {};
  },
});
