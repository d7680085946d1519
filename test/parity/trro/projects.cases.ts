// TRRO projects and devices: CreateProject, DescribeProjectList, DescribeProjectInfo,
// ModifyProject, DeleteProject, CreateDevice, DescribeDeviceList, DescribeDeviceInfo,
// ModifyDevice, BatchDeleteDevices.
import { TOKEN } from "../../trro/trro-support.ts";
import { cases } from "../case.ts";
import { project, trroFleet } from "./fleet.ts";

export default cases([
  {
    action: "CreateProject",
    async run(ctx) {
      await project(ctx, "quarry");
    },
    populated: ["ProjectId"],
  },
  {
    action: "DescribeProjectList",
    async run(ctx) {
      await trroFleet(ctx);
      await ctx.call("DescribeProjectList", { PageSize: 100, PageNumber: 1 });
    },
    populated: ["Total", "Num", "Projects[].ProjectId", "Projects[].ProjectName", "Projects[].ProjectDescription"],
  },
  {
    action: "DescribeProjectInfo",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeProjectInfo", { ProjectId: f.projectId });
    },
    populated: ["ProjectName", "ProjectDescription", "PolicyMode"],
  },
  {
    action: "ModifyProject",
    async run(ctx) {
      const id = await project(ctx, "mine");
      await ctx.call("ModifyProject", { ProjectId: id, ProjectName: "mine 2", ProjectDescription: "deeper", PolicyMode: "white" });
    },
  },
  {
    action: "DeleteProject",
    async run(ctx) {
      await ctx.call("DeleteProject", { ProjectId: await project(ctx, "gone") });
    },
  },
  {
    action: "CreateDevice",
    async run(ctx) {
      const id = await project(ctx, "farm");
      await ctx.call("CreateDevice", {
        ProjectId: id,
        DeviceId: "tractor1",
        DeviceName: "Tractor",
        DeviceType: "field",
        DeviceToken: TOKEN,
      });
    },
  },
  {
    action: "DescribeDeviceList",
    name: "online and connected devices",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeDeviceList", { ProjectId: f.projectId, PageSize: 100, PageNumber: 1 });
    },
    populated: ["Total", "Num", "Devices[].DeviceId", "Devices[].DeviceName", "Devices[].DeviceStatus"],
  },
  {
    action: "DescribeDeviceInfo",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("DescribeDeviceInfo", { ProjectId: f.projectId, DeviceId: "truck1" });
    },
    populated: ["DeviceName", "DeviceType", "DeviceStatus"],
  },
  {
    action: "ModifyDevice",
    async run(ctx) {
      const id = await project(ctx, "port", [{ id: "crane1", type: "field" }]);
      await ctx.call("ModifyDevice", { ProjectId: id, DeviceId: "crane1", DeviceName: "Crane", DeviceToken: "Fedcba9876543210" });
    },
  },
  {
    action: "BatchDeleteDevices",
    async run(ctx) {
      const id = await project(ctx, "dock", [
        { id: "d1", type: "field" },
        { id: "d2", type: "remote" },
      ]);
      await ctx.call("BatchDeleteDevices", { ProjectId: id, DeviceIds: ["d1", "d2"] });
    },
  },
]);
