// ModifyPolicy: changes one remote device's list in one mode: add field devices, remove
// them, or set the list to exactly these.
// - The remote device must be a remote device of the project: otherwise the value of
//   RemoteDeviceId is wrong (InvalidParameterValue), and nothing changes.
// - A field device id that is not a field device of the project cannot be added: it is
//   named in FailedInsertIds (add and set), the others are added. Adding one already on the
//   list succeeds and moves its ModifyTime ("last added").
// - Removing one that is not on the list names it in FailedDeleteIds.
// - set removes every field device not given (these removals cannot fail) and adds the
//   given ones as add does.
// The lists are kept as the cloud keeps them; roomledger records sessions as the devices
// report them and does not refuse one a policy forbids (the cloud enforces policies when a
// remote device connects, which happens outside roomledger).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { PolicyMode, ProjectId } from "./project-fields.ts";
import { trroErrors } from "./errors.ts";
import { addPolicyDevices, devicesOfType, keepOnlyPolicyDevices, removePolicyDevices } from "./policy-store.ts";

export const PolicyDeviceId = Type.String({ minLength: 1, maxLength: 64 });

export const modifyPolicy = defineAction({
  name: "ModifyPolicy",
  request: Type.Object({
    ProjectId,
    RemoteDeviceId: PolicyDeviceId,
    // No documented limit; 1000 bounds one request's work.
    FieldDeviceIds: Type.Array(PolicyDeviceId, { maxItems: 1000 }),
    PolicyMode,
    ModifyMode: Type.Union([Type.Literal("add"), Type.Literal("remove"), Type.Literal("set")]),
  }),
  async handler(req, ctx) {
    const { app } = await ownProject(ctx, req.ProjectId);
    const fields = [...new Set(req.FieldDeviceIds)];
    const now = ctx.clock.now();
    return ctx.db.transaction(async (tx) => {
      if (!(await devicesOfType(tx, app.appId, "remote", [req.RemoteDeviceId])).has(req.RemoteDeviceId)) {
        throw trroErrors.invalidValue("RemoteDeviceId", `no remote device \`${req.RemoteDeviceId}\` in this project`);
      }
      if (req.ModifyMode === "remove") {
        const failed = await removePolicyDevices(tx, app.appId, req.PolicyMode, req.RemoteDeviceId, fields);
        return { FailedInsertIds: [], FailedDeleteIds: failed };
      }
      const known = await devicesOfType(tx, app.appId, "field", fields);
      if (req.ModifyMode === "set") await keepOnlyPolicyDevices(tx, app.appId, req.PolicyMode, req.RemoteDeviceId, [...known]);
      await addPolicyDevices(tx, app.appId, req.PolicyMode, req.RemoteDeviceId, [...known], now);
      return { FailedInsertIds: fields.filter((f) => !known.has(f)), FailedDeleteIds: [] };
    });
  },
});
