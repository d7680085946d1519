// Users and groups through the official SDK: RegisterUser, BatchRegister, LoginUser,
// DescribeUser, DeleteUser, DescribeSdkAppIdUsers, CreateGroupWithMembers,
// BatchAddGroupMember, DescribeGroupMemberList, DeleteGroup, with their documented errors.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { lcicApp, lcicClient, type LcicApp } from "./lcic-support.ts";

for (const backend of backends()) {
  describe(`LCIC users and groups (${backend})`, () => {
    let server: TestServer;
    let app: LcicApp;
    let foreignApp: string;
    let foreign: { accountId: string; secretId: string; secretKey: string };
    let otherProductApp: string;
    before(async () => {
      server = await startServer({ backend });
      app = await lcicApp(server);
      foreign = await server.admin("POST", "/accounts", { name: "other school" });
      foreignApp = (await server.admin<{ appId: string }>("POST", "/apps", { products: ["lcic"], accountId: foreign.accountId })).appId;
      otherProductApp = await server.createApp(["tiw"]);
    });
    after(() => server.stop());

    test("RegisterUser, LoginUser, DescribeUser by UserId and by OriginId", async () => {
      const c = app.client;
      const reg = await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Alice", OriginId: "school-1", Avatar: "https://a/x.png" });
      assert.match(reg.UserId!, /^[A-Za-z0-9]{27}$/);
      assert.ok(reg.Token && reg.Token.length > 0);
      const login = await c.LoginUser({ UserId: reg.UserId! });
      assert.equal(login.UserId, reg.UserId);
      assert.ok(login.Token);
      const byId = await c.DescribeUser({ UserId: reg.UserId! });
      assert.deepEqual(
        { SdkAppId: byId.SdkAppId, UserId: byId.UserId, Name: byId.Name, Avatar: byId.Avatar, OriginId: byId.OriginId },
        { SdkAppId: app.sdkAppId, UserId: reg.UserId, Name: "Alice", Avatar: "https://a/x.png", OriginId: "school-1" },
      );
      assert.equal((await c.DescribeUser({ OriginId: "school-1" })).UserId, reg.UserId);
      // No OriginId: it defaults to the UserId.
      const anon = await c.RegisterUser({ SdkAppId: app.sdkAppId });
      assert.equal((await c.DescribeUser({ UserId: anon.UserId! })).OriginId, anon.UserId);
    });

    test("RegisterUser errors: OriginIdExists, SdkAppId of another account / missing / not LCIC", async () => {
      const c = app.client;
      await c.RegisterUser({ SdkAppId: app.sdkAppId, OriginId: "dup" });
      assert.equal((await sdkError(c.RegisterUser({ SdkAppId: app.sdkAppId, OriginId: "dup" }))).code, "FailedOperation.OriginIdExists");
      for (const id of [foreignApp, "999999999", otherProductApp]) {
        const err = await sdkError(c.RegisterUser({ SdkAppId: Number(id) }));
        assert.equal(err.code, "InvalidParameter.SdkAppId", id);
      }
      assert.equal((await sdkError(c.RegisterUser({} as never))).code, "MissingParameter");
      assert.equal((await sdkError(c.RegisterUser({ SdkAppId: "x" } as never))).code, "InvalidParameter");
    });

    test("LoginUser, DescribeUser, DeleteUser of an unknown user: ResourceNotFound.User", async () => {
      const c = app.client;
      assert.equal((await sdkError(c.LoginUser({ UserId: "nobody" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.DescribeUser({ UserId: "nobody" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.DescribeUser({ OriginId: "nobody" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.DeleteUser({ UserId: "nobody" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.DescribeUser({}))).code, "MissingParameter");
    });

    test("another account's user is invisible", async () => {
      // Registered in the other account's app with that account's key.
      const foreignClient = lcicClient(server, { secretId: foreign.secretId, secretKey: foreign.secretKey });
      const theirs = await foreignClient.RegisterUser({ SdkAppId: Number(foreignApp), Name: "Mallory" });
      assert.equal((await sdkError(app.client.DescribeUser({ UserId: theirs.UserId! }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(app.client.LoginUser({ UserId: theirs.UserId! }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(app.client.DeleteUser({ UserId: theirs.UserId! }))).code, "ResourceNotFound.User");
      assert.equal((await foreignClient.DescribeUser({ UserId: theirs.UserId! })).Name, "Mallory");
    });

    test("BatchRegister registers, overwrites by OriginId, and checks its limits", async () => {
      const c = app.client;
      const first = await c.BatchRegister({
        Users: [
          { SdkAppId: app.sdkAppId, Name: "B1", OriginId: "b-1" },
          { SdkAppId: app.sdkAppId, Name: "B2" },
        ],
      });
      assert.equal(first.Users!.length, 2);
      assert.equal(first.Users![0]!.OriginId, "b-1");
      assert.equal(first.Users![1]!.OriginId, first.Users![1]!.UserId);
      const again = await c.BatchRegister({ Users: [{ SdkAppId: app.sdkAppId, Name: "B1 renamed", OriginId: "b-1" }] });
      assert.equal(again.Users![0]!.UserId, first.Users![0]!.UserId);
      assert.equal((await c.DescribeUser({ UserId: first.Users![0]!.UserId! })).Name, "B1 renamed");
      const tooMany = Array.from({ length: 1001 }, () => ({ SdkAppId: app.sdkAppId }));
      assert.equal((await sdkError(c.BatchRegister({ Users: tooMany }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.BatchRegister({ Users: [{ SdkAppId: Number(foreignApp) }] }))).code, "InvalidParameter.SdkAppId");
      assert.equal((await sdkError(c.BatchRegister({} as never))).code, "MissingParameter");
      const thousand = await c.BatchRegister({
        Users: Array.from({ length: 1000 }, (_, i) => ({ SdkAppId: app.sdkAppId, OriginId: `k-${i}` })),
      });
      assert.equal(new Set(thousand.Users!.map((u) => u.UserId)).size, 1000);
    });

    test("DescribeSdkAppIdUsers pages the app's users", async () => {
      const fresh = await lcicApp(server);
      const reg = await fresh.client.BatchRegister({
        Users: Array.from({ length: 25 }, (_, i) => ({ SdkAppId: fresh.sdkAppId, Name: `u${i}` })),
      });
      const p1 = await fresh.client.DescribeSdkAppIdUsers({ SdkAppId: fresh.sdkAppId });
      assert.equal(p1.Total, 25);
      assert.equal(p1.Users!.length, 20);
      const p2 = await fresh.client.DescribeSdkAppIdUsers({ SdkAppId: fresh.sdkAppId, Page: 2, Limit: 20 });
      assert.equal(p2.Users!.length, 5);
      const all = [...p1.Users!, ...p2.Users!].map((u) => u.UserId).sort();
      assert.deepEqual(all, reg.Users!.map((u) => u.UserId).sort());
      assert.deepEqual(Object.keys(p1.Users![0]!).sort(), ["Avatar", "Name", "OriginId", "SdkAppId", "UserId"]);
      assert.equal(
        (await sdkError(fresh.client.DescribeSdkAppIdUsers({ SdkAppId: Number(foreignApp) }))).code,
        "InvalidParameter.SdkAppId",
      );
    });

    test("groups: create, add, list, delete, and the member who cannot be deleted", async () => {
      const c = app.client;
      const users = (await c.BatchRegister({ Users: Array.from({ length: 5 }, () => ({ SdkAppId: app.sdkAppId })) })).Users!.map(
        (u) => u.UserId!,
      );
      const teacher = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Teacher" })).UserId!;
      const g = await c.CreateGroupWithMembers({
        GroupName: "Class A",
        SdkAppId: app.sdkAppId,
        TeacherId: teacher,
        MemberIds: users.slice(0, 3),
      });
      assert.ok(g.GroupId);
      const g2 = await c.CreateGroupWithMembers({ GroupName: "Class B", SdkAppId: app.sdkAppId });
      await c.BatchAddGroupMember({ GroupIds: [g.GroupId!, g2.GroupId!], SdkAppId: app.sdkAppId, MemberIds: users.slice(2) });
      const list = await c.DescribeGroupMemberList({ GroupId: g.GroupId!, SdkAppId: app.sdkAppId, Page: 1, Limit: 2 });
      assert.equal(list.Total, 5);
      assert.deepEqual(list.MemberIds, users.slice(0, 2));
      const rest = await c.DescribeGroupMemberList({ GroupId: g.GroupId!, SdkAppId: app.sdkAppId, Page: 2, Limit: 2 });
      assert.equal(rest.MemberIds!.length, 2);
      assert.equal((await c.DescribeGroupMemberList({ GroupId: g2.GroupId!, SdkAppId: app.sdkAppId })).Total, 3);
      assert.equal((await sdkError(c.DeleteUser({ UserId: users[0]! }))).code, "FailedOperation.UserIsAlreadyInGroup");
      await c.DeleteGroup({ GroupIds: [g.GroupId!, g2.GroupId!], SdkAppId: app.sdkAppId });
      await c.DeleteUser({ UserId: users[0]! });
      assert.equal((await sdkError(c.DescribeUser({ UserId: users[0]! }))).code, "ResourceNotFound.User");
      assert.equal(
        (await sdkError(c.DescribeGroupMemberList({ GroupId: g.GroupId!, SdkAppId: app.sdkAppId }))).code,
        "ResourceNotFound.GroupNotExist",
      );
    });

    test("group errors", async () => {
      const c = app.client;
      const u = (await c.RegisterUser({ SdkAppId: app.sdkAppId })).UserId!;
      const g = (await c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: app.sdkAppId, MemberIds: [u] })).GroupId!;
      assert.equal(
        (await sdkError(c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: app.sdkAppId, MemberIds: [u, "ghost"] }))).code,
        "ResourceNotFound.GroupPartUsersNotExist",
      );
      assert.equal(
        (await sdkError(c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: app.sdkAppId, TeacherId: "ghost" }))).code,
        "InvalidParameter.GroupTeachersNotExist",
      );
      const many = Array.from({ length: 201 }, () => u);
      assert.equal(
        (await sdkError(c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: app.sdkAppId, MemberIds: many }))).code,
        "InvalidParameter.GroupMemberOverLimit",
      );
      assert.equal(
        (await sdkError(c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: Number(foreignApp) }))).code,
        "InvalidParameter.SdkAppId",
      );
      assert.equal(
        (await sdkError(c.BatchAddGroupMember({ GroupIds: ["nope"], SdkAppId: app.sdkAppId, MemberIds: [u] }))).code,
        "ResourceNotFound.GroupNotExist",
      );
      assert.equal(
        (await sdkError(c.BatchAddGroupMember({ GroupIds: [g], SdkAppId: app.sdkAppId, MemberIds: ["ghost"] }))).code,
        "ResourceNotFound.GroupPartUsersNotExist",
      );
      assert.equal(
        (await sdkError(c.BatchAddGroupMember({ GroupIds: [g], SdkAppId: app.sdkAppId, MemberIds: many }))).code,
        "InvalidParameter.GroupMemberOverLimit",
      );
      assert.equal((await sdkError(c.DeleteGroup({ GroupIds: ["nope"], SdkAppId: app.sdkAppId }))).code, "ResourceNotFound.GroupNotExist");
      // Another app of the same account does not see the group.
      const second = await lcicApp(server);
      assert.equal(
        (await sdkError(c.DescribeGroupMemberList({ GroupId: g, SdkAppId: second.sdkAppId }))).code,
        "ResourceNotFound.GroupNotExist",
      );
    });

    test("BatchRegister is limited to 10 requests per second", async () => {
      const c = app.client;
      const results = await Promise.allSettled(
        Array.from({ length: 14 }, (_, i) => c.BatchRegister({ Users: [{ SdkAppId: app.sdkAppId, OriginId: `rl-${i}` }] })),
      );
      const limited = results.filter((r) => r.status === "rejected" && (r.reason as { code?: string }).code === "RequestLimitExceeded");
      assert.ok(limited.length >= 1, "at least one call over 10/s is refused");
      assert.ok(results.filter((r) => r.status === "fulfilled").length <= 10 * 2);
    });
  });
}
