// DescribeDeviceInfo.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { getDevice } from "./device-store.ts";
import { trroErrors } from "./errors.ts";
import { cstTime, cstTimeOrEmpty } from "./wire-format.ts";

export const describeDeviceInfo = defineAction({
  name: "DescribeDeviceInfo",
  request: Type.Object({ ProjectId, DeviceId: Type.String({ minLength: 1, maxLength: 64 }) }),
  async handler(req, ctx) {
    const { app, row } = await ownProject(ctx, req.ProjectId);
    const d = await getDevice(ctx.db, app.appId, req.DeviceId, ctx.clock.now(), row.presence_ms);
    if (!d) throw trroErrors.deviceNotFound(req.DeviceId);
    return {
      DeviceName: d.name,
      DeviceType: d.device_type,
      DeviceStatus: d.status,
      LastReportTime: cstTimeOrEmpty(d.last_report_time),
      ModifyTime: cstTime(d.modify_time),
    };
  },
});
