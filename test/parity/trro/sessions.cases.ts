// TRRO sessions: DescribeDeviceSessionList, DescribeDeviceSessionDetails,
// DescribeSessionStatistics, DescribeSessionStatisticsByInterval, DescribeRecentSessionList.
import { cases } from "../case.ts";
import { trroFleet } from "./fleet.ts";

const s = (ms: number) => Math.floor(ms / 1000);

export default cases([
  {
    action: "DescribeDeviceSessionList",
    name: "the seed's request shape: device and window",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeDeviceSessionList", {
        ProjectId: f.projectId,
        PageNumber: 1,
        PageSize: 10,
        DeviceId: "truck1",
        StartTime: 0,
        EndTime: s(f.t0) + 3600,
      });
    },
    populated: ["Total", "Num", "DeviceSessionList[].SessionId", "DeviceSessionList[].Resolution", "DeviceSessionList[].Quality"],
  },
  {
    action: "DescribeDeviceSessionDetails",
    // RenderConst is the model's deprecated misspelling of RenderCost (@deprecated in the
    // d.ts; output_required false and nullable in the cloud's spec): roomledger answers
    // RenderCost only.
    absent: ["Details[].RenderConst"],
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeDeviceSessionDetails", { SessionId: f.ended, StartTime: 0, EndTime: s(f.t0) + 3600 });
    },
    populated: ["Details[].DeviceId", "Details[].DeviceType", "Details[].TimeOffset[]", "Details[].NetworkLatency[]"],
  },
  {
    action: "DescribeSessionStatistics",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeSessionStatistics", { ProjectId: f.projectId, DeviceId: "truck1", StartTime: 0, EndTime: s(f.t0) + 3600 });
    },
    populated: ["SessionNum", "TotalDuration", "ActiveFieldDeviceNum", "ActiveRemoteDeviceNum", "NotBadSessionRatio"],
  },
  {
    action: "DescribeSessionStatisticsByInterval",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeSessionStatisticsByInterval", {
        ProjectId: f.projectId,
        StatisticInterval: "hour",
        StartTime: s(f.t0) - 3600,
        EndTime: s(f.t0) + 3600,
      });
    },
    populated: ["SessionStatistics[].SessionNum", "SessionStatistics[].StartTime"],
  },
  {
    action: "DescribeRecentSessionList",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeRecentSessionList", { ProjectId: f.projectId, PageNumber: 1, PageSize: 10 });
    },
    populated: ["Total", "Num", "RecentSessionList[].SessionId", "RecentSessionList[].LatestUpdateTime"],
  },
]);
