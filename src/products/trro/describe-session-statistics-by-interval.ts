// DescribeSessionStatisticsByInterval: the statistics per hour, day or month (China Standard
// Time buckets). Each entry equals DescribeSessionStatistics over its bucket [StartTime,
// EndTime] (clipped to the request's window); only buckets with sessions are listed, oldest
// first (the real example lists a handful of entries for a window from 0).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { checkWindow, deviceFilter, sessionWindowFields } from "./session-fields.ts";
import { statisticsWindow } from "./session-window.ts";
import { bucketTotals } from "./session-queries.ts";
import { statisticFields } from "./describe-session-statistics.ts";
import { unixSeconds } from "./wire-format.ts";

export const describeSessionStatisticsByInterval = defineAction({
  name: "DescribeSessionStatisticsByInterval",
  request: Type.Object({
    ProjectId,
    StatisticInterval: Type.Union([Type.Literal("hour"), Type.Literal("day"), Type.Literal("month")]),
    ...sessionWindowFields,
  }),
  async handler(req, ctx) {
    checkWindow(req.StartTime, req.EndTime);
    const { app } = await ownProject(ctx, req.ProjectId);
    const w = statisticsWindow(req.StartTime, req.EndTime, ctx.clock.now());
    const buckets = await bucketTotals(ctx.db, app.appId, w, req.StatisticInterval, deviceFilter(req.DeviceId));
    return {
      SessionStatistics: buckets.map((b) => ({
        ...statisticFields(b),
        StartTime: unixSeconds(b.bucket_start),
        EndTime: unixSeconds(b.bucket_end) - 1,
      })),
    };
  },
});
