// CreateSupervisor: makes registered users of the app supervisors (巡课). Every id must be a
// user of the app (ResourceNotFound.User, none added); one already a supervisor stays one,
// in its place. roomledger caps a call at 1000 ids (Tencent documents no limit).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";
import { addSupervisors } from "./supervisors-store.ts";

export const createSupervisor = defineAction({
  name: "CreateSupervisor",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Users: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 1000 }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const users = [...new Set(req.Users)];
    await ctx.db.transaction(async (tx) => {
      if ((await unknownUsers(tx, app.appId, users)).length > 0) throw lcicErrors.userNotFound();
      await addSupervisors(tx, app.appId, users, ctx.clock.now());
    });
    return {};
  },
});
