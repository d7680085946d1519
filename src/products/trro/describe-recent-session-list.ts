// DescribeRecentSessionList: like the session list, limited to the last two hours (out-of-range
// or absent ends are clamped to it, as documented), with each session's latest report time.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, DeviceFilter, deviceFilter, PageNumber, PageSize, UnixTime } from "./session-fields.ts";
import { recentWindow } from "./session-window.ts";
import { countSessions, pageSessions, windowParams } from "./session-queries.ts";
import { pageOffset, unixSeconds } from "./wire-format.ts";

export const describeRecentSessionList = defineAction({
  name: "DescribeRecentSessionList",
  request: Type.Object({
    ProjectId,
    PageNumber,
    PageSize,
    DeviceId: Type.Optional(DeviceFilter),
    StartTime: Type.Optional(UnixTime),
    EndTime: Type.Optional(UnixTime),
  }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const w = recentWindow(req.StartTime, req.EndTime, ctx.platform.clock.now());
    const device = deviceFilter(req.DeviceId);
    const { total, rows } = await ctx.platform.db.transaction(async (tx) => {
      await tx.query("set transaction isolation level repeatable read");
      const p = await windowParams(tx, app.appId, w, device);
      const rows = await pageSessions(tx, p, req.PageSize, pageOffset(req.PageNumber, req.PageSize));
      return { total: await countSessions(tx, p), rows };
    });
    return {
      Total: total,
      RecentSessionList: rows.map((s) => ({
        SessionId: s.session_id,
        RemoteDeviceId: s.remote_device_id,
        FieldDeviceId: s.field_device_id,
        Resolution: s.resolution,
        StartTime: unixSeconds(s.start_time),
        LatestUpdateTime: unixSeconds(s.last_report_time),
      })),
      Num: rows.length,
    };
  },
});
