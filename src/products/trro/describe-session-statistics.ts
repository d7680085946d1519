// DescribeSessionStatistics: totals of the sessions overlapping a window (session-window.ts),
// durations clipped to the window. TotalDuration in whole minutes (rounded down), the
// active devices are the distinct devices of those sessions, NotBadSessionRatio the percent
// of them whose Quality is not "bad" (quality.ts). Window defaults: from 0 to now.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, deviceFilter, sessionWindowFields } from "./session-fields.ts";
import { statisticsWindow } from "./session-window.ts";
import { sessionTotals, type Totals } from "./session-queries.ts";
import { notBadRatio } from "./quality.ts";

export function statisticFields(t: Totals) {
  return {
    SessionNum: t.sessions,
    TotalDuration: Math.floor(t.duration_ms / 60_000),
    ActiveFieldDeviceNum: t.field_devices,
    ActiveRemoteDeviceNum: t.remote_devices,
    NotBadSessionRatio: notBadRatio(t.sessions, t.bad_sessions),
  };
}

export const describeSessionStatistics = defineAction({
  name: "DescribeSessionStatistics",
  request: Type.Object({
    ProjectId,
    ...sessionWindowFields,
  }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const w = statisticsWindow(req.StartTime, req.EndTime, ctx.clock.now());
    return statisticFields(await sessionTotals(ctx.db, app.appId, w, deviceFilter(req.DeviceId)));
  },
});
