// ModifyDevice: name and token; absent fields stay. A new token takes effect for the next
// report at once.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkDeviceName, DeviceName, DeviceToken } from "./device-fields.ts";
import { updateDevice } from "./device-store.ts";
import { trroErrors } from "./errors.ts";

export const modifyDevice = defineAction({
  name: "ModifyDevice",
  request: Type.Object({
    ProjectId,
    DeviceId: Type.String({ minLength: 1, maxLength: 64 }),
    DeviceName: Type.Optional(DeviceName),
    DeviceToken: Type.Optional(DeviceToken),
  }),
  async handler(req, ctx) {
    checkDeviceName(req.DeviceName);
    const { app } = await ownProject(ctx, req.ProjectId);
    const ok = await updateDevice(ctx.db, app.appId, req.DeviceId, { name: req.DeviceName, token: req.DeviceToken }, ctx.clock.now());
    if (!ok) throw trroErrors.deviceNotFound(req.DeviceId);
    return {};
  },
});
