// Groups and supervisors through the official SDK (issue 20, first half): AddGroupMember,
// DeleteGroupMember, BatchDeleteGroupMember, DescribeGroup, DescribeGroupList, ModifyGroup,
// BatchCreateGroupWithMembers, CreateGroupWithSubGroup (and SubGroupId in the statistics),
// CreateSupervisor, DeleteSupervisor, DescribeSupervisors, with their documented errors.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { createRoom, eventFactory, ingest, lcicApp, serverNow, type LcicApp, type LcicClient } from "./lcic-support.ts";

for (const backend of backends()) {
  describe(`LCIC groups and supervisors (${backend})`, () => {
    let server: TestServer;
    let app: LcicApp;
    let c: LcicClient;
    let foreignApp: number;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "10000"] });
      app = await lcicApp(server);
      c = app.client;
      const foreign = await server.admin("POST", "/accounts", { name: "other school" });
      foreignApp = Number(
        (await server.admin<{ appId: string }>("POST", "/apps", { products: ["lcic"], accountId: foreign.accountId })).appId,
      );
    });
    after(() => server.stop());

    const users = async (n: number, on: LcicApp = app): Promise<string[]> =>
      (
        await on.client.BatchRegister({ Users: Array.from({ length: n }, (_, i) => ({ SdkAppId: on.sdkAppId, Name: `u${i}` })) })
      ).Users!.map((u) => u.UserId!);
    const members = async (groupId: string, on: LcicApp = app) =>
      (await on.client.DescribeGroupMemberList({ GroupId: groupId, SdkAppId: on.sdkAppId, Limit: 1000 })).MemberIds;

    test("AddGroupMember, DeleteGroupMember, BatchDeleteGroupMember", async () => {
      const [t, a, b, d, e] = await users(5);
      const g1 = (await c.CreateGroupWithMembers({ GroupName: "G1", SdkAppId: app.sdkAppId, TeacherId: t, MemberIds: [a!] })).GroupId!;
      const g2 = (await c.CreateGroupWithMembers({ GroupName: "G2", SdkAppId: app.sdkAppId, MemberIds: [a!, b!] })).GroupId!;
      await c.AddGroupMember({ GroupId: g1, SdkAppId: app.sdkAppId, MemberIds: [b!, d!, a!] });
      assert.deepEqual(await members(g1), [a, b, d]);
      await c.DeleteGroupMember({ GroupId: g1, SdkAppId: app.sdkAppId, MemberIds: [b!, e!] });
      assert.deepEqual(await members(g1), [a, d]);
      // Repeating a removal is fine.
      await c.DeleteGroupMember({ GroupId: g1, SdkAppId: app.sdkAppId, MemberIds: [b!] });
      await c.BatchDeleteGroupMember({ GroupIds: [g1, g2], SdkAppId: app.sdkAppId, MemberIds: [a!] });
      assert.deepEqual(await members(g1), [d]);
      assert.deepEqual(await members(g2), [b]);
      // Out of every group, a user can be deleted.
      await c.BatchDeleteGroupMember({ GroupIds: [g2], SdkAppId: app.sdkAppId, MemberIds: [b!] });
      await c.DeleteUser({ UserId: b! });
    });

    test("member change errors", async () => {
      const [t, a] = await users(2);
      const g = (await c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: app.sdkAppId, TeacherId: t })).GroupId!;
      const combined = (await c.CreateGroupWithSubGroup({ GroupName: "C", SdkAppId: app.sdkAppId, SubGroupIds: [g] })).GroupId!;
      const add = (over: Record<string, unknown>) =>
        sdkError(c.AddGroupMember({ GroupId: g, SdkAppId: app.sdkAppId, MemberIds: [a!], ...over } as never));
      const del = (over: Record<string, unknown>) =>
        sdkError(c.DeleteGroupMember({ GroupId: g, SdkAppId: app.sdkAppId, MemberIds: [a!], ...over } as never));
      const bdel = (over: Record<string, unknown>) =>
        sdkError(c.BatchDeleteGroupMember({ GroupIds: [g], SdkAppId: app.sdkAppId, MemberIds: [a!], ...over } as never));
      for (const call of [add, del]) {
        assert.equal((await call({ GroupId: "nope" })).code, "ResourceNotFound.GroupNotExist");
        assert.equal((await call({ GroupId: combined })).code, "InvalidParameter.GroupTypeInvalid");
        assert.equal((await call({ MemberIds: ["ghost"] })).code, "ResourceNotFound.GroupPartUsersNotExist");
        assert.equal((await call({ MemberIds: Array.from({ length: 201 }, () => a) })).code, "InvalidParameter.GroupMemberOverLimit");
        assert.equal((await call({ MemberIds: [] })).code, "InvalidParameterValue");
        assert.equal((await call({ SdkAppId: foreignApp })).code, "InvalidParameter.SdkAppId");
        assert.equal((await call({ GroupId: undefined })).code, "MissingParameter");
      }
      assert.equal((await add({ MemberIds: [t] })).code, "InvalidParameter.GroupTeacherNotMember");
      assert.equal(
        (await sdkError(c.BatchAddGroupMember({ GroupIds: [combined], SdkAppId: app.sdkAppId, MemberIds: [a!] }))).code,
        "InvalidParameter.GroupTypeInvalid",
      );
      assert.equal(
        (await sdkError(c.CreateGroupWithMembers({ GroupName: "X", SdkAppId: app.sdkAppId, TeacherId: a!, MemberIds: [a!] }))).code,
        "InvalidParameter.GroupTeacherNotMember",
      );
      assert.equal((await bdel({ GroupIds: [g, "nope"] })).code, "ResourceNotFound.GroupNotExist");
      assert.equal((await bdel({ GroupIds: [combined] })).code, "InvalidParameter.GroupTypeInvalid");
      assert.equal((await bdel({ MemberIds: ["ghost"] })).code, "ResourceNotFound.GroupPartUsersNotExist");
      assert.equal((await bdel({ GroupIds: Array.from({ length: 101 }, () => g) })).code, "InvalidParameterValue");
      // 256 members may be removed at once, not 257.
      const many = await users(257);
      await c.BatchDeleteGroupMember({ GroupIds: [g], SdkAppId: app.sdkAppId, MemberIds: many.slice(0, 256) });
      assert.equal((await bdel({ MemberIds: many })).code, "InvalidParameter.GroupMemberOverLimit");
      assert.deepEqual(await members(g), []);
    });

    test("DescribeGroup, ModifyGroup, DescribeGroupList with its filters and pages", async () => {
      const fresh = await lcicApp(server);
      const fc = fresh.client;
      const [t1, t2, m1, m2] = await users(4, fresh);
      const empty = await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId });
      assert.deepEqual([empty.Total, empty.GroupInfos], [0, null]);
      const a = (await fc.CreateGroupWithMembers({ GroupName: "A", SdkAppId: fresh.sdkAppId, TeacherId: t1, MemberIds: [m1!] })).GroupId!;
      const [b, c2] = (
        await fc.BatchCreateGroupWithMembers({
          SdkAppId: fresh.sdkAppId,
          GroupBaseInfos: [{ GroupName: "B", TeacherId: t2 }, { GroupName: "C" }],
          MemberIds: [m2!],
        })
      ).GroupIds!;
      const combined = (
        await fc.CreateGroupWithSubGroup({ GroupName: "A+B", SdkAppId: fresh.sdkAppId, SubGroupIds: [a, b!], TeacherId: t2 })
      ).GroupId!;
      const described = await fc.DescribeGroup({ GroupId: a, SdkAppId: fresh.sdkAppId });
      assert.deepEqual(
        { ...described, RequestId: undefined },
        { GroupId: a, GroupName: "A", TeacherId: t1, GroupType: 0, SubGroupIds: null, RequestId: undefined },
      );
      const dc = await fc.DescribeGroup({ GroupId: combined, SdkAppId: fresh.sdkAppId });
      assert.deepEqual([dc.GroupType, dc.SubGroupIds, dc.TeacherId], [1, [a, b], t2]);
      assert.equal((await fc.DescribeGroup({ GroupId: c2!, SdkAppId: fresh.sdkAppId })).TeacherId, "");

      const all = await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId });
      assert.equal(all.Total, 4);
      assert.deepEqual(
        all.GroupInfos!.map((g) => [g.GroupId, g.GroupName, g.TeacherId, g.GroupType, g.SubGroupIds]),
        [
          [a, "A", t1, 0, null],
          [b, "B", t2, 0, null],
          [c2, "C", "", 0, null],
          [combined, "A+B", t2, 1, `${a},${b}`],
        ],
      );
      const page2 = await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId, Page: 2, Limit: 3 });
      assert.deepEqual([page2.Total, page2.GroupInfos!.map((g) => g.GroupId)], [4, [combined]]);
      assert.equal((await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId, Page: 3, Limit: 3 })).GroupInfos, null);
      const ids = async (q: Record<string, unknown>) =>
        ((await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId, ...q })).GroupInfos ?? []).map((g) => g.GroupId);
      assert.deepEqual(await ids({ TeacherId: t2 }), [b, combined]);
      // Through a sub group, a member is in the combined group too.
      assert.deepEqual(await ids({ MemberId: m1 }), [a, combined]);
      assert.deepEqual(await ids({ MemberId: m2 }), [b, c2, combined]);
      // TeacherId wins when both are given.
      assert.deepEqual(await ids({ TeacherId: t1, MemberId: m2 }), [a]);
      assert.deepEqual(await ids({ TeacherId: "", MemberId: "" }), [a, b, c2, combined]);

      await fc.ModifyGroup({ GroupId: a, SdkAppId: fresh.sdkAppId, GroupName: "A renamed" });
      await fc.ModifyGroup({ GroupId: a, SdkAppId: fresh.sdkAppId, TeacherId: t2 });
      const modified = await fc.DescribeGroup({ GroupId: a, SdkAppId: fresh.sdkAppId });
      assert.deepEqual([modified.GroupName, modified.TeacherId], ["A renamed", t2]);
      const mod = (over: Record<string, unknown>) =>
        sdkError(fc.ModifyGroup({ GroupId: a, SdkAppId: fresh.sdkAppId, GroupName: "x", ...over } as never));
      assert.equal((await mod({ GroupId: "nope" })).code, "ResourceNotFound.GroupNotExist");
      assert.equal((await mod({ GroupName: undefined })).code, "InvalidParameter.GroupParamInvalid");
      assert.equal((await mod({ GroupName: "", TeacherId: "" })).code, "InvalidParameter.GroupParamInvalid");
      assert.equal((await mod({ TeacherId: "ghost" })).code, "InvalidParameter.GroupTeachersNotExist");
      assert.equal((await mod({ TeacherId: m1 })).code, "InvalidParameter.GroupTeacherNotMember");
      // m2 is in B, a sub group of the combined group.
      assert.equal((await mod({ GroupId: combined, TeacherId: m2 })).code, "InvalidParameter.GroupTeacherNotMember");
      assert.equal((await mod({ SdkAppId: foreignApp })).code, "InvalidParameter.SdkAppId");
      assert.equal((await fc.DescribeGroup({ GroupId: a, SdkAppId: fresh.sdkAppId })).GroupName, "A renamed");

      assert.equal(
        (await sdkError(fc.DescribeGroup({ GroupId: "nope", SdkAppId: fresh.sdkAppId }))).code,
        "ResourceNotFound.GroupNotExist",
      );
      // Another app of the same account does not see the group.
      assert.equal((await sdkError(c.DescribeGroup({ GroupId: a, SdkAppId: app.sdkAppId }))).code, "ResourceNotFound.GroupNotExist");
      assert.equal((await sdkError(fc.DescribeGroup({ GroupId: a, SdkAppId: foreignApp }))).code, "InvalidParameter.SdkAppId");
      assert.equal((await sdkError(fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId, Limit: 1001 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId, Page: 0 }))).code, "InvalidParameterValue");
    });

    test("BatchCreateGroupWithMembers: the groups in order, all or nothing", async () => {
      const fresh = await lcicApp(server);
      const fc = fresh.client;
      const [t, m1, m2] = await users(3, fresh);
      const res = await fc.BatchCreateGroupWithMembers({
        SdkAppId: fresh.sdkAppId,
        GroupBaseInfos: [{ GroupName: "one", TeacherId: t }, { GroupName: "two" }],
        MemberIds: [m1!, m2!],
      });
      assert.equal(res.GroupIds!.length, 2);
      for (const g of res.GroupIds!) assert.deepEqual(await members(g, fresh), [m1, m2]);
      assert.deepEqual(
        (await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId })).GroupInfos!.map((g) => g.GroupName),
        ["one", "two"],
      );
      const bad = (over: Record<string, unknown>) =>
        sdkError(fc.BatchCreateGroupWithMembers({ SdkAppId: fresh.sdkAppId, GroupBaseInfos: [{ GroupName: "z" }], ...over } as never));
      assert.equal(
        (await bad({ GroupBaseInfos: [{ GroupName: "z" }, { GroupName: "y", TeacherId: "ghost" }] })).code,
        "InvalidParameter.GroupTeachersNotExist",
      );
      assert.equal(
        (await bad({ GroupBaseInfos: [{ GroupName: "z", TeacherId: t }], MemberIds: [t] })).code,
        "InvalidParameter.GroupTeacherNotMember",
      );
      assert.equal((await bad({ MemberIds: [m1, "ghost"] })).code, "ResourceNotFound.GroupPartUsersNotExist");
      assert.equal((await bad({ MemberIds: Array.from({ length: 201 }, () => m1) })).code, "InvalidParameter.GroupMemberOverLimit");
      assert.equal((await bad({ GroupBaseInfos: [] })).code, "InvalidParameterValue");
      assert.equal((await bad({ GroupBaseInfos: Array.from({ length: 257 }, () => ({ GroupName: "z" })) })).code, "InvalidParameterValue");
      assert.equal((await bad({ GroupBaseInfos: [{ TeacherId: t }] })).code, "MissingParameter");
      assert.equal((await bad({ SdkAppId: foreignApp })).code, "InvalidParameter.SdkAppId");
      assert.equal((await fc.DescribeGroupList({ SdkAppId: fresh.sdkAppId })).Total, 2, "no group of a refused batch");
    });

    test("CreateGroupWithSubGroup: members through the sub groups, its errors, deleting a sub group", async () => {
      const fresh = await lcicApp(server);
      const fc = fresh.client;
      const [t, a, b, d] = await users(4, fresh);
      const g1 = (await fc.CreateGroupWithMembers({ GroupName: "1", SdkAppId: fresh.sdkAppId, MemberIds: [a!, b!] })).GroupId!;
      const g2 = (await fc.CreateGroupWithMembers({ GroupName: "2", SdkAppId: fresh.sdkAppId, MemberIds: [d!, a!] })).GroupId!;
      const combined = (
        await fc.CreateGroupWithSubGroup({ GroupName: "1+2", SdkAppId: fresh.sdkAppId, SubGroupIds: [g2, g1], TeacherId: t })
      ).GroupId!;
      assert.match(combined, /^[A-Za-z0-9]+$/);
      // In sub group order, each member once; later changes to a sub group show through.
      assert.deepEqual(await members(combined, fresh), [d, a, b]);
      await fc.DeleteGroupMember({ GroupId: g2, SdkAppId: fresh.sdkAppId, MemberIds: [d!] });
      assert.deepEqual(await members(combined, fresh), [a, b]);
      const list = await fc.DescribeGroupMemberList({ GroupId: combined, SdkAppId: fresh.sdkAppId, Page: 2, Limit: 1 });
      assert.deepEqual([list.Total, list.MemberIds], [2, [b]]);

      const sub = (over: Record<string, unknown>) =>
        sdkError(fc.CreateGroupWithSubGroup({ GroupName: "x", SdkAppId: fresh.sdkAppId, SubGroupIds: [g1], ...over } as never));
      assert.equal((await sub({ SubGroupIds: [g1, "nope"] })).code, "ResourceNotFound.GroupNotExist");
      assert.equal((await sub({ SubGroupIds: [g1, combined] })).code, "InvalidParameter.GroupTypeInvalid");
      assert.equal((await sub({ SubGroupIds: [g1, g1] })).code, "InvalidParameterValue");
      assert.equal((await sub({ SubGroupIds: [] })).code, "InvalidParameterValue");
      assert.equal((await sub({ SubGroupIds: Array.from({ length: 41 }, (_, i) => `g${i}`) })).code, "InvalidParameterValue");
      assert.equal((await sub({ TeacherId: "ghost" })).code, "InvalidParameter.GroupTeachersNotExist");
      assert.equal((await sub({ TeacherId: b })).code, "InvalidParameter.GroupTeacherNotMember");
      assert.equal((await sub({ SdkAppId: foreignApp })).code, "InvalidParameter.SdkAppId");
      assert.equal((await sub({ GroupName: undefined })).code, "MissingParameter");

      // Deleting a sub group takes it out of the combined group; deleting the combined
      // group leaves its sub groups.
      await fc.DeleteGroup({ GroupIds: [g2], SdkAppId: fresh.sdkAppId });
      assert.deepEqual((await fc.DescribeGroup({ GroupId: combined, SdkAppId: fresh.sdkAppId })).SubGroupIds, [g1]);
      await fc.DeleteGroup({ GroupIds: [combined], SdkAppId: fresh.sdkAppId });
      assert.deepEqual(await members(g1, fresh), [a, b]);
    });

    test("a room of a combined group: SubGroupId in the statistics; supervisors are Role 3", async () => {
      const fresh = await lcicApp(server);
      const fc = fresh.client;
      const [t, a, b, d, sup] = await users(5, fresh);
      const g1 = (await fc.CreateGroupWithMembers({ GroupName: "1", SdkAppId: fresh.sdkAppId, MemberIds: [a!, b!] })).GroupId!;
      const g2 = (await fc.CreateGroupWithMembers({ GroupName: "2", SdkAppId: fresh.sdkAppId, MemberIds: [b!, d!] })).GroupId!;
      const combined = (await fc.CreateGroupWithSubGroup({ GroupName: "1+2", SdkAppId: fresh.sdkAppId, SubGroupIds: [g1, g2] })).GroupId!;
      await fc.CreateSupervisor({ SdkAppId: fresh.sdkAppId, Users: [sup!] });
      const now = await serverNow(server);
      const combinedRoom = await createRoom(fresh, now + 10, { TeacherId: t, GroupId: combined });
      const basicRoom = await createRoom(fresh, now + 10, { TeacherId: t, GroupId: g1 });
      const ev = eventFactory(combinedRoom, `sub-${backend}`);
      await fc.StartRoom({ RoomId: combinedRoom });
      const joined = await serverNow(server);
      await ingest(server, fresh.ingestKey, [ev("lcic.member.joined", joined, a!), ev("lcic.member.joined", joined, sup!)]);
      await server.advance(30);
      for (const RoomId of [combinedRoom, basicRoom]) await fc.EndRoom({ RoomId });
      await server.advance(10);
      const stats = await fc.DescribeRoomStatistics({ RoomId: combinedRoom, Page: 1, Limit: 10 });
      const byUser = Object.fromEntries(stats.MemberRecords!.map((r) => [r.UserId, r]));
      assert.deepEqual(Object.keys(byUser).sort(), [a, b, d, sup, t].sort());
      assert.deepEqual([byUser[a!]!.GroupId, byUser[a!]!.SubGroupId], [combined, [g1]]);
      assert.deepEqual([byUser[b!]!.GroupId, byUser[b!]!.SubGroupId], [combined, [g1, g2]]);
      assert.deepEqual([byUser[d!]!.GroupId, byUser[d!]!.SubGroupId], [combined, [g2]]);
      assert.deepEqual([byUser[t!]!.GroupId, byUser[t!]!.SubGroupId, byUser[t!]!.Role], ["", null, 1]);
      assert.deepEqual([byUser[sup!]!.GroupId, byUser[sup!]!.SubGroupId, byUser[sup!]!.Role], ["", null, 3]);
      const basic = await fc.DescribeRoomStatistics({ RoomId: basicRoom, Page: 1, Limit: 10 });
      const inBasic = basic.MemberRecords!.find((r) => r.UserId === a)!;
      assert.deepEqual([inBasic.GroupId, inBasic.SubGroupId], [g1, null]);
    });

    test("CreateSupervisor, DescribeSupervisors, DeleteSupervisor", async () => {
      const fresh = await lcicApp(server);
      const fc = fresh.client;
      const [s1, s2, s3] = await users(3, fresh);
      const none = await fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId });
      assert.deepEqual({ ...none, RequestId: undefined }, { Total: 0, Page: 1, Limit: 20, UserIds: [], RequestId: undefined });
      await fc.CreateSupervisor({ SdkAppId: fresh.sdkAppId, Users: [s2!, s1!] });
      await fc.CreateSupervisor({ SdkAppId: fresh.sdkAppId, Users: [s3!, s2!] });
      assert.deepEqual((await fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId })).UserIds, [s2, s1, s3]);
      const p2 = await fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId, Page: 2, Limit: 2 });
      assert.deepEqual({ ...p2, RequestId: undefined }, { Total: 3, Page: 2, Limit: 2, UserIds: [s3], RequestId: undefined });
      await fc.DeleteSupervisor({ SdkAppId: fresh.sdkAppId, Users: [s1!] });
      assert.deepEqual((await fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId })).UserIds, [s2, s3]);
      // Deleting the user ends the supervision.
      await fc.DeleteUser({ UserId: s3! });
      assert.deepEqual((await fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId })).UserIds, [s2]);

      const [other] = await users(1);
      assert.equal(
        (await sdkError(fc.CreateSupervisor({ SdkAppId: fresh.sdkAppId, Users: [s2!, "ghost"] }))).code,
        "ResourceNotFound.User",
      );
      // Another app's user is not a user of this app.
      assert.equal((await sdkError(fc.CreateSupervisor({ SdkAppId: fresh.sdkAppId, Users: [other!] }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(fc.CreateSupervisor({ SdkAppId: fresh.sdkAppId, Users: [] }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(fc.CreateSupervisor({ SdkAppId: foreignApp, Users: [s2!] }))).code, "InvalidParameter.SdkAppId");
      // Not a supervisor (any more): nothing is deleted.
      assert.equal((await sdkError(fc.DeleteSupervisor({ SdkAppId: fresh.sdkAppId, Users: [s2!, s1!] }))).code, "ResourceNotFound.User");
      assert.deepEqual((await fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId })).UserIds, [s2]);
      assert.equal((await sdkError(fc.DeleteSupervisor({ SdkAppId: foreignApp, Users: [s2!] }))).code, "InvalidParameter.SdkAppId");
      assert.equal((await sdkError(fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId, Limit: 101 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(fc.DescribeSupervisors({ SdkAppId: fresh.sdkAppId, Page: 0 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(fc.DescribeSupervisors({ SdkAppId: foreignApp }))).code, "InvalidParameter.SdkAppId");
    });
  });
}
