// LCIC groups: CreateGroupWithMembers, BatchAddGroupMember, DescribeGroupMemberList, DeleteGroup.
import { cases } from "../case.ts";
import { lcicClass } from "./fixture.ts";

export default cases([
  {
    action: "CreateGroupWithMembers",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("CreateGroupWithMembers", {
        GroupName: "Reading club",
        SdkAppId: k.sdkAppId,
        TeacherId: k.teacher,
        MemberIds: k.students.slice(0, 2),
      });
    },
    populated: ["GroupId"],
  },
  {
    action: "BatchAddGroupMember",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { GroupId } = await ctx.call("CreateGroupWithMembers", { GroupName: "Chess", SdkAppId: k.sdkAppId, TeacherId: k.teacher });
      await ctx.call("BatchAddGroupMember", { GroupIds: [GroupId], SdkAppId: k.sdkAppId, MemberIds: k.students });
    },
  },
  {
    action: "DescribeGroupMemberList",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeGroupMemberList", { GroupId: k.groupId, SdkAppId: k.sdkAppId, Page: 1, Limit: 100 });
    },
    populated: ["Total", "MemberIds[]"],
  },
  {
    action: "DeleteGroup",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { GroupId } = await ctx.call("CreateGroupWithMembers", {
        GroupName: "Drama",
        SdkAppId: k.sdkAppId,
        MemberIds: k.students.slice(0, 1),
      });
      await ctx.call("DeleteGroup", { GroupIds: [GroupId], SdkAppId: k.sdkAppId });
    },
  },
]);
