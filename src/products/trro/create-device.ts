// CreateDevice: registers a device and its token (the token authenticates its reports).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkDeviceName, DeviceId, DeviceName, DeviceToken, DeviceType } from "./device-fields.ts";
import { insertDevice } from "./device-store.ts";
import { trroErrors } from "./errors.ts";

export const createDevice = defineAction({
  name: "CreateDevice",
  request: Type.Object({ ProjectId, DeviceId, DeviceName, DeviceType, DeviceToken }),
  async handler(req, ctx) {
    checkDeviceName(req.DeviceName);
    const { app } = await ownProject(ctx, req.ProjectId);
    const created = await ctx.db.transaction((tx) =>
      insertDevice(
        tx,
        { appId: app.appId, deviceId: req.DeviceId, name: req.DeviceName, type: req.DeviceType, token: req.DeviceToken },
        ctx.clock.now(),
      ),
    );
    if (!created) throw trroErrors.deviceExists(req.DeviceId);
    return {};
  },
});
