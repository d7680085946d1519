// LCIC groups and supervisors (issue 20, first half): AddGroupMember, DeleteGroupMember,
// BatchDeleteGroupMember, DescribeGroup, DescribeGroupList, ModifyGroup,
// BatchCreateGroupWithMembers, CreateGroupWithSubGroup (and SubGroupId in
// DescribeRoomStatistics), CreateSupervisor, DeleteSupervisor, DescribeSupervisors.
// The shared class group is never changed here: each case makes its own groups.
import { eventFactory, ingest, lcicApp, serverNow } from "../../lcic/lcic-support.ts";
import { cases, type ParityContext } from "../case.ts";
import { lcicClass } from "./fixture.ts";

/** A new basic group of the shared school with the given members. */
async function group(ctx: ParityContext, name: string, members: string[]): Promise<string> {
  const k = await lcicClass(ctx);
  return (await ctx.call("CreateGroupWithMembers", { GroupName: name, SdkAppId: k.sdkAppId, MemberIds: members })).GroupId;
}

export default cases([
  {
    action: "AddGroupMember",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const GroupId = await group(ctx, "Choir", []);
      await ctx.call("AddGroupMember", { GroupId, SdkAppId: k.sdkAppId, MemberIds: k.students });
    },
  },
  {
    action: "DeleteGroupMember",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const GroupId = await group(ctx, "Band", k.students);
      await ctx.call("DeleteGroupMember", { GroupId, SdkAppId: k.sdkAppId, MemberIds: [k.students[0]] });
    },
  },
  {
    action: "BatchDeleteGroupMember",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const a = await group(ctx, "Football", k.students);
      const b = await group(ctx, "Tennis", k.students);
      await ctx.call("BatchDeleteGroupMember", { GroupIds: [a, b], SdkAppId: k.sdkAppId, MemberIds: [k.students[0]] });
    },
  },
  {
    action: "DescribeGroup",
    name: "the official example: a combined group with its teacher and sub groups",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const subs = [await group(ctx, "Morning", [k.students[0]!]), await group(ctx, "Evening", [k.students[1]!])];
      const { GroupId } = await ctx.call("CreateGroupWithSubGroup", {
        GroupName: "myGroup01",
        SdkAppId: k.sdkAppId,
        SubGroupIds: subs,
        TeacherId: k.teacher,
      });
      await ctx.call("DescribeGroup", { GroupId, SdkAppId: k.sdkAppId });
    },
    populated: ["GroupId", "GroupName", "TeacherId", "GroupType", "SubGroupIds[]"],
  },
  {
    action: "DescribeGroup",
    name: "a basic group (SubGroupIds null)",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeGroup", { GroupId: k.groupId, SdkAppId: k.sdkAppId });
    },
    populated: ["GroupId", "GroupName", "TeacherId"],
  },
  {
    action: "DescribeGroupList",
    name: "the official example 2: a teacher's groups (a combined one, SubGroupIds a string)",
    async run(ctx) {
      // A school of its own, so that the teacher's groups are exactly these.
      const school = await lcicApp(ctx.server);
      const SdkAppId = school.sdkAppId;
      const { UserId: teacher } = await ctx.call("RegisterUser", { SdkAppId, Name: "Ms List" });
      const { UserId: student } = await ctx.call("RegisterUser", { SdkAppId, Name: "Stu" });
      const basic = await ctx.call("CreateGroupWithMembers", { GroupName: "修改测试群组名称", SdkAppId, MemberIds: [student] });
      await ctx.call("CreateGroupWithSubGroup", { GroupName: "测试修改群组", SdkAppId, SubGroupIds: [basic.GroupId], TeacherId: teacher });
      await ctx.call("DescribeGroupList", { SdkAppId, TeacherId: teacher });
    },
    populated: ["Total", "GroupInfos[].GroupId", "GroupInfos[].GroupName", "GroupInfos[].TeacherId", "GroupInfos[].SubGroupIds"],
  },
  {
    action: "DescribeGroupList",
    name: "the official example 1: every group of the school",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeGroupList", { SdkAppId: k.sdkAppId });
    },
    populated: ["Total", "GroupInfos[].GroupId", "GroupInfos[].GroupName"],
  },
  {
    action: "ModifyGroup",
    name: "the official example: a new name",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const GroupId = await group(ctx, "Old name", []);
      await ctx.call("ModifyGroup", { GroupId, SdkAppId: k.sdkAppId, GroupName: "myGroup" });
    },
  },
  {
    action: "BatchCreateGroupWithMembers",
    name: "the official example: two groups, one with a teacher, two members",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("BatchCreateGroupWithMembers", {
        SdkAppId: k.sdkAppId,
        GroupBaseInfos: [{ GroupName: "test1", TeacherId: k.teacher }, { GroupName: "test2" }],
        MemberIds: k.students.slice(0, 2),
      });
    },
    populated: ["GroupIds[]"],
  },
  {
    action: "CreateGroupWithSubGroup",
    // The official example repeats one placeholder sub group id; the cloud's own field doc
    // forbids repeats ("子群组ID不能重复"), so two distinct groups are sent.
    name: "the official example's shape",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const subs = [await group(ctx, "asdasd", [k.students[0]!]), await group(ctx, "asdasd 2", [k.students[1]!])];
      await ctx.call("CreateGroupWithSubGroup", { GroupName: "Group_name", SdkAppId: k.sdkAppId, TeacherId: k.teacher, SubGroupIds: subs });
    },
    populated: ["GroupId"],
  },
  {
    action: "DescribeRoomStatistics",
    name: "a room of a combined group: SubGroupId filled",
    async run(ctx) {
      // A school of its own: the room's only expected attendees are the combined group's members.
      const school = await lcicApp(ctx.server);
      const SdkAppId = school.sdkAppId;
      const users = await ctx.call("BatchRegister", { Users: ["A", "B", "C"].map((Name) => ({ SdkAppId, Name })) });
      const [a, b, c] = (users.Users as { UserId: string }[]).map((u) => u.UserId) as [string, string, string];
      const g1 = (await ctx.call("CreateGroupWithMembers", { GroupName: "1", SdkAppId, MemberIds: [a, b] })).GroupId;
      const g2 = (await ctx.call("CreateGroupWithMembers", { GroupName: "2", SdkAppId, MemberIds: [b, c] })).GroupId;
      const GroupId = (await ctx.call("CreateGroupWithSubGroup", { GroupName: "1+2", SdkAppId, SubGroupIds: [g1, g2] })).GroupId;
      const now = await serverNow(ctx.server);
      const { RoomId } = await ctx.call("CreateRoom", {
        SdkAppId,
        Name: "Joint class",
        StartTime: now + 5,
        EndTime: now + 3600,
        Resolution: 1,
        MaxMicNumber: 1,
        SubType: "video",
        GroupId,
      });
      await ctx.call("StartRoom", { RoomId });
      const ev = eventFactory(RoomId, `joint${RoomId}`);
      await ingest(ctx.server, school.ingestKey, [ev("lcic.member.joined", now, a, { Role: 0, Device: 5 })]);
      await ctx.server.advance(2);
      await ctx.call("EndRoom", { RoomId });
      await ctx.server.advance(6); // the statistics job runs 5 s after the end
      await ctx.call("DescribeRoomStatistics", { RoomId, Page: 1, Limit: 10 });
    },
    populated: ["MemberRecords[].GroupId", "MemberRecords[].SubGroupId"],
  },
  {
    action: "CreateSupervisor",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { UserId } = await ctx.call("RegisterUser", { SdkAppId: k.sdkAppId, Name: "Inspector" });
      await ctx.call("CreateSupervisor", { SdkAppId: k.sdkAppId, Users: [UserId] });
    },
  },
  {
    action: "DeleteSupervisor",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { UserId } = await ctx.call("RegisterUser", { SdkAppId: k.sdkAppId, Name: "Former inspector" });
      await ctx.call("CreateSupervisor", { SdkAppId: k.sdkAppId, Users: [UserId] });
      await ctx.call("DeleteSupervisor", { SdkAppId: k.sdkAppId, Users: [UserId] });
    },
  },
  {
    action: "DescribeSupervisors",
    name: "the official example: a page of one",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { UserId } = await ctx.call("RegisterUser", { SdkAppId: k.sdkAppId, Name: "Head inspector" });
      await ctx.call("CreateSupervisor", { SdkAppId: k.sdkAppId, Users: [UserId] });
      await ctx.call("DescribeSupervisors", { SdkAppId: k.sdkAppId, Limit: 1, Page: 1 });
    },
    populated: ["Total", "Page", "Limit", "UserIds[]"],
  },
]);
