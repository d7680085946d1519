// ModifyProjectSecMode: the project's shared key (Mode 1 with Key; Mode 0 turns it off and
// forgets the key, so that turning it on again needs a key again), auto-registration and
// whether remote devices may list field devices. Fields left out keep their value.
//
// What roomledger does with them: it keeps them (the admin API's project settings show them
// without the key). Devices report to roomledger with their own device token
// (report-routes.ts), not through the TRRO SDK's login, so the shared key, auto-registration
// and getGwList change nothing yet in what devices may report.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tencentErrors } from "../../errors/tencent-common.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { updateSecMode } from "./project-store.ts";

export const modifyProjectSecMode = defineAction({
  name: "ModifyProjectSecMode",
  request: Type.Object({
    ProjectId,
    Mode: Type.Union([Type.Literal(0), Type.Literal(1)]),
    // 32 lowercase letters and digits, as documented (the real example's key fits).
    Key: Type.Optional(Type.String({ pattern: "^[a-z0-9]{32}$" })),
    AutoRegister: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
    FieldListEnable: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
  }),
  async handler(req, ctx) {
    // "Required in project key mode": a missing key with Mode 1 is a missing parameter.
    if (req.Mode === 1 && req.Key === undefined) throw tencentErrors.missingParameter("Key");
    const { app } = await ownProject(ctx, req.ProjectId);
    await updateSecMode(ctx.db, app.appId, {
      mode: req.Mode,
      key: req.Mode === 1 ? req.Key! : "",
      autoRegister: req.AutoRegister,
      fieldListEnable: req.FieldListEnable,
    });
    return {};
  },
});
