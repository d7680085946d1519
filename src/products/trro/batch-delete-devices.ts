// BatchDeleteDevices: deletes those that exist and names the others in FailedDeviceIds
// (the real example answers "FailedDeviceIds": [] on success). Sessions already recorded
// stay in the session list and statistics: they are history. The devices leave every
// access policy (policy-store.ts).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { deleteDevices } from "./device-store.ts";

export const batchDeleteDevices = defineAction({
  name: "BatchDeleteDevices",
  request: Type.Object({
    ProjectId,
    DeviceIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 100 }),
  }),
  async handler(req, ctx) {
    const { app } = await ownProject(ctx, req.ProjectId);
    return { FailedDeviceIds: await ctx.db.transaction((tx) => deleteDevices(tx, app.appId, req.DeviceIds)) };
  },
});
