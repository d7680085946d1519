// DescribeRecentSessionList: like the session list, limited to the last two hours (out-of-range
// or absent ends are clamped to it, as documented), with each session's latest report time.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, deviceFilter, PageNumber, PageSize, sessionWindowFields } from "./session-fields.ts";
import { recentWindow } from "./session-window.ts";
import { sessionPage } from "./session-page.ts";
import { unixSeconds } from "./wire-format.ts";

export const describeRecentSessionList = defineAction({
  name: "DescribeRecentSessionList",
  request: Type.Object({ ProjectId, PageNumber, PageSize, ...sessionWindowFields }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const w = recentWindow(req.StartTime, req.EndTime, ctx.clock.now());
    const { total, rows } = await sessionPage(ctx.db, app.appId, w, deviceFilter(req.DeviceId), req.PageNumber, req.PageSize);
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
