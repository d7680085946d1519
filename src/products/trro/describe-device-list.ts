// DescribeDeviceList: by device id, with type, status and fuzzy id/name filters.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { OptionalPageNumber, OptionalPageSize, optionalPage, ProjectId } from "./project-fields.ts";
import { DeviceType } from "./device-fields.ts";
import { listDevices } from "./device-store.ts";
import { cstTime, cstTimeOrEmpty } from "./wire-format.ts";

export const describeDeviceList = defineAction({
  name: "DescribeDeviceList",
  request: Type.Object({
    ProjectId,
    DeviceType: Type.Optional(DeviceType),
    SearchWords: Type.Optional(Type.String({ maxLength: 64 })),
    PageSize: OptionalPageSize,
    PageNumber: OptionalPageNumber,
    DeviceStatus: Type.Optional(Type.Union([Type.Literal("ready"), Type.Literal("connected"), Type.Literal("online")])),
    // 1 = the project also has registration-free devices. Every device here is registered
    // through CreateDevice, so both values list the same devices.
    RegisterType: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1)])),
  }),
  async handler(req, ctx) {
    const { app, row } = await ownProject(ctx, req.ProjectId);
    const { limit, offset } = optionalPage(req.PageSize, req.PageNumber);
    const { total, rows } = await listDevices(
      ctx.db,
      app.appId,
      { type: req.DeviceType, search: req.SearchWords || undefined, status: req.DeviceStatus },
      ctx.clock.now(),
      row.presence_ms,
      limit,
      offset,
    );
    return {
      Devices: rows.map((d) => ({
        DeviceId: d.device_id,
        DeviceName: d.name,
        DeviceStatus: d.status,
        DeviceType: d.device_type,
        ModifyTime: cstTime(d.modify_time),
        LastReportTime: cstTimeOrEmpty(d.last_report_time),
        ProjectId: app.appId,
      })),
      Total: total,
      Num: rows.length,
    };
  },
});
