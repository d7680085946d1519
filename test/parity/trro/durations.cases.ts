// TRRO durations and device licences (issue 21): GetTotalDuration, GetDurationDetails,
// GetDevices, on the shared fleet (a 1280*720 session ended, a 1920*1080 one running).
import { cases } from "../case.ts";
import { trroFleet } from "./fleet.ts";

const s = (ms: number) => Math.floor(ms / 1000);
const TIERS = [
  "Voice",
  "SD",
  "HD",
  "FHD",
  "TwoK",
  "FourK",
  "Online",
  "MultiSD",
  "MultiHD",
  "MultiFHD",
  "MultiTwoK",
  "MultiFourK",
  "MultiOnline",
];

export default cases([
  {
    action: "GetTotalDuration",
    name: "the real example's request shape: project, device, window",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("GetTotalDuration", { StartTime: 0, EndTime: s(f.t0) + 3600, ProjectId: f.projectId, DeviceId: "op1" });
    },
    populated: [...TIERS, "DeductDuration"],
  },
  {
    action: "GetDurationDetails",
    name: "the real example's request shape: per day, paged",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("GetDurationDetails", {
        StartTime: 0,
        EndTime: s(f.t0) + 3600,
        ProjectId: f.projectId,
        DeviceId: "op1",
        PageNum: 1,
        PageSize: 10,
      });
    },
    populated: [
      "TotalCount",
      "DurationDetails[].SessionTime",
      ...TIERS.map((t) => `DurationDetails[].${t}`),
      "DurationDetails[].DeductDuration",
    ],
  },
  {
    action: "GetDevices",
    name: "the real example's request shape: a project's device",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("GetDevices", { PageNum: 1, PageSize: 10, ProjectId: f.projectId, DeviceId: "truck1" });
    },
    // LicenseIds is [] (no licence bound here), so it is checked as a list but not required non-empty.
    populated: [
      "TotalCount",
      "Devices[].DeviceId",
      "Devices[].DeviceName",
      "Devices[].LicenseCount",
      "Devices[].RemainDay",
      "Devices[].ExpireTime",
      "Devices[].Duration",
      "Devices[].MonthlyRemainTime",
      "Devices[].LimitedTime",
    ],
  },
]);
