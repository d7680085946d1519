// TRRO access policies and the project's security mode (issue 21): DescribePolicy,
// ModifyPolicy, BatchDeletePolicy (the real examples' request shapes, on the shared fleet's
// devices: op1 remote, truck1 and truck2 field; each case sets up the lists it reads, and
// the lists do not change what other cases read), ModifyProjectSecMode. No devices are
// created here: CreateDevice's 20/s limit is shared by every case of the run.
import { cases } from "../case.ts";
import { project, trroFleet } from "./fleet.ts";

export default cases([
  {
    action: "ModifyPolicy",
    name: "the real example: add field devices to a black list, one unknown",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("ModifyPolicy", {
        ProjectId: f.projectId,
        RemoteDeviceId: "op1",
        FieldDeviceIds: ["truck1", "ghost"],
        PolicyMode: "black",
        ModifyMode: "add",
      });
    },
    populated: ["FailedInsertIds[]"],
  },
  {
    action: "ModifyPolicy",
    name: "remove one on the list and one not",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("ModifyPolicy", {
        ProjectId: f.projectId,
        RemoteDeviceId: "op1",
        FieldDeviceIds: ["truck2"],
        PolicyMode: "white",
        ModifyMode: "add",
      });
      await ctx.call("ModifyPolicy", {
        ProjectId: f.projectId,
        RemoteDeviceId: "op1",
        FieldDeviceIds: ["truck2", "ghost"],
        PolicyMode: "white",
        ModifyMode: "remove",
      });
    },
    populated: ["FailedDeleteIds[]"],
  },
  {
    action: "DescribePolicy",
    name: "the real example: the mode in force, by default",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("ModifyPolicy", {
        ProjectId: f.projectId,
        RemoteDeviceId: "op1",
        FieldDeviceIds: ["truck1", "truck2"],
        PolicyMode: "black",
        ModifyMode: "set",
      });
      await ctx.call("DescribePolicy", { ProjectId: f.projectId });
    },
    populated: [
      "PolicyMode",
      "PolicyEnabled",
      "PolicyInfo[].RemoteDeviceId",
      "PolicyInfo[].FieldDeviceIds[]",
      "PolicyInfo[].ModifyTime",
      "Num",
      "Total",
    ],
  },
  {
    action: "BatchDeletePolicy",
    name: "the real example: two remote devices, one without a list",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("ModifyPolicy", {
        ProjectId: f.projectId,
        RemoteDeviceId: "op1",
        FieldDeviceIds: ["truck1"],
        PolicyMode: "white",
        ModifyMode: "add",
      });
      await ctx.call("BatchDeletePolicy", { ProjectId: f.projectId, RemoteDeviceIds: ["op1", "nobody"], PolicyMode: "white" });
    },
    populated: ["FailedRemoteDeviceIds[]"],
  },
  {
    action: "ModifyProjectSecMode",
    name: "the real example",
    async run(ctx) {
      const P = await project(ctx, "sec mode");
      await ctx.call("ModifyProjectSecMode", {
        ProjectId: P,
        Mode: 1,
        Key: "123456789012345678901234567abcde",
        AutoRegister: 3,
        FieldListEnable: 1,
      });
    },
  },
]);
