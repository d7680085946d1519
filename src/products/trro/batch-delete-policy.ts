// BatchDeletePolicy: deletes the whole list of each remote device in one mode; a remote
// device with no list in that mode is named in FailedRemoteDeviceIds (as BatchDeleteDevices
// names the devices it did not find).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { PolicyMode, ProjectId } from "./project-fields.ts";
import { deletePolicies } from "./policy-store.ts";
import { PolicyDeviceId } from "./modify-policy.ts";

export const batchDeletePolicy = defineAction({
  name: "BatchDeletePolicy",
  request: Type.Object({
    ProjectId,
    // As BatchDeleteDevices: at least one, at most 100.
    RemoteDeviceIds: Type.Array(PolicyDeviceId, { minItems: 1, maxItems: 100 }),
    PolicyMode,
  }),
  async handler(req, ctx) {
    const { app } = await ownProject(ctx, req.ProjectId);
    return { FailedRemoteDeviceIds: await deletePolicies(ctx.db, app.appId, req.PolicyMode, [...new Set(req.RemoteDeviceIds)]) };
  },
});
