// Property tests on the request boundaries of issue 20's first half (entry, chat control,
// profiles, groups, supervisors): any parameters get an answer or a Tencent error, never
// InternalError; the batch actions (BatchCreateRoom, BatchCreateGroupWithMembers) and the
// all-or-nothing group and supervisor changes leave nothing behind when they are refused.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient } from "../support/tencent.ts";
import { createRoom, lcicApp, serverNow, type LcicApp } from "./lcic-support.ts";

// Each action with its own request fields: the fuzzer mostly sends an action its own fields
// (so that it gets past the SdkAppId and the required fields), sometimes a stranger's.
const ACTIONS: Record<string, string[]> = {
  BatchCreateRoom: ["SdkAppId", "RoomInfos"],
  LoginUserWithRoom: ["UserId", "RoomId"],
  LoginOriginId: ["SdkAppId", "OriginId"],
  LoginOriginIdWithRoom: ["SdkAppId", "OriginId", "RoomId"],
  ForbidSendMsg: ["SdkAppId", "RoomId", "MembersAccount", "MuteTime"],
  DescribeRoomForbiddenUser: ["SdkAppId", "RoomId"],
  SendRoomNotificationMessage: ["SdkAppId", "RoomId", "MsgContent"],
  DescribeUserDetail: ["UserId", "OriginId"],
  ModifyUserProfile: ["UserId", "Nickname", "Avatar"],
  AddGroupMember: ["GroupId", "SdkAppId", "MemberIds"],
  DeleteGroupMember: ["GroupId", "SdkAppId", "MemberIds"],
  BatchDeleteGroupMember: ["GroupIds", "SdkAppId", "MemberIds"],
  DescribeGroup: ["GroupId", "SdkAppId"],
  DescribeGroupList: ["SdkAppId", "Page", "Limit", "TeacherId", "MemberId"],
  ModifyGroup: ["GroupId", "SdkAppId", "TeacherId", "GroupName"],
  BatchCreateGroupWithMembers: ["SdkAppId", "GroupBaseInfos", "MemberIds"],
  CreateGroupWithSubGroup: ["GroupName", "SdkAppId", "SubGroupIds", "TeacherId"],
  CreateSupervisor: ["SdkAppId", "Users"],
  DeleteSupervisor: ["SdkAppId", "Users"],
  DescribeSupervisors: ["SdkAppId", "Limit", "Page"],
};
const FIELDS = [...new Set(Object.values(ACTIONS).flat())];

describe("LCIC boundaries of entry, chat control, groups, supervisors (property tests)", () => {
  let server: TestServer;
  let app: LcicApp;
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
    app = await lcicApp(server);
  });
  after(() => server.stop());

  test("any parameters to these actions: an answer or a Tencent error, never InternalError", async () => {
    const c = app.client;
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60);
    const [teacher, student] = (
      await c.BatchRegister({ Users: [{ SdkAppId: app.sdkAppId, OriginId: "o-1" }, { SdkAppId: app.sdkAppId }] })
    ).Users!.map((u) => u.UserId!);
    const group = (await c.CreateGroupWithMembers({ GroupName: "G", SdkAppId: app.sdkAppId, MemberIds: [student!] })).GroupId!;
    const combined = (await c.CreateGroupWithSubGroup({ GroupName: "C", SdkAppId: app.sdkAppId, SubGroupIds: [group] })).GroupId!;
    const client = commonClient(server, "2022-08-17");
    const id = fc.constantFrom(teacher!, student!, group, combined, "o-1", "", "ghost");
    const roomInfo = fc.record(
      {
        Name: fc.string({ maxLength: 10 }),
        StartTime: fc.oneof(fc.constant(now + 60), fc.integer({ min: -5, max: 2 ** 32 })),
        EndTime: fc.oneof(fc.constant(now + 600), fc.integer({ min: -5, max: 2 ** 32 })),
        Resolution: fc.integer({ min: -1, max: 4 }),
        MaxMicNumber: fc.integer({ min: -1, max: 20 }),
        SubType: fc.constantFrom("video", "videodoc", "x"),
        TeacherId: id,
        GroupId: id,
      },
      { requiredKeys: [] },
    );
    const value = fc.oneof(
      // Real ids (and near misses) most often, so that requests reach the actions' own logic.
      { arbitrary: id, weight: 4 },
      fc.integer({ min: -5, max: 2_000_000_000 }),
      fc.constantFrom(app.sdkAppId, roomId, 0, 1, -1, 2 ** 53, 4294967295, 4294967296),
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(id, fc.integer(), roomInfo, fc.record({ GroupName: fc.string(), TeacherId: id }, { requiredKeys: [] })), {
        maxLength: 4,
      }),
      fc.record({ Text: fc.string() }),
    );
    // Per field, mostly a value of its own shape (a real id, a small page, a list of ids), so
    // that requests get past the type checks into the actions' own logic; else anything.
    const groupInfo = fc.record({ GroupName: fc.string({ maxLength: 5 }), TeacherId: id }, { requiredKeys: [] });
    const shaped: Record<string, fc.Arbitrary<unknown>> = {
      RoomId: fc.constantFrom(roomId, 999_999_999),
      Page: fc.integer({ min: 1, max: 5 }),
      Limit: fc.integer({ min: 1, max: 30 }),
      MuteTime: fc.constantFrom(0, 1, 60, 4294967295),
      MembersAccount: fc.array(id, { maxLength: 5 }),
      MemberIds: fc.array(id, { maxLength: 5 }),
      GroupIds: fc.array(id, { maxLength: 5 }),
      SubGroupIds: fc.array(id, { maxLength: 5 }),
      Users: fc.array(id, { maxLength: 5 }),
      RoomInfos: fc.array(roomInfo, { maxLength: 3 }),
      GroupBaseInfos: fc.array(groupInfo, { maxLength: 3 }),
    };
    const fieldValue = (field: string) => fc.oneof({ arbitrary: shaped[field] ?? id, weight: 4 }, value);
    const request = fc.constantFrom(...Object.keys(ACTIONS)).chain((action) => {
      const own = ACTIONS[action]!;
      return fc.tuple(
        fc.constant(action),
        fc.record(Object.fromEntries(own.map((f) => [f, fieldValue(f)])), { requiredKeys: [] }),
        // Now and then a field of another action (UnknownParameter).
        fc.option(fc.dictionary(fc.constantFrom(...FIELDS), value, { minKeys: 1, maxKeys: 2 }), { freq: 10 }),
        // Mostly the app's own SdkAppId, so that the request reaches the action's own checks.
        fc.oneof({ arbitrary: fc.constant(app.sdkAppId), weight: 4 }, value),
      );
    });
    await fc.assert(
      fc.asyncProperty(request, async ([action, fields, stranger, sdkAppId]) => {
        const params: Record<string, unknown> = { ...stranger, ...fields };
        if (ACTIONS[action]!.includes("SdkAppId")) params.SdkAppId = sdkAppId;
        try {
          const res = (await client.request(action, params)) as Record<string, unknown>;
          assert.ok(typeof res.RequestId === "string");
        } catch (err) {
          const e = err as { code?: string; message: string };
          assert.ok(e.code, `no Tencent error code: ${e.message}`);
          assert.notEqual(e.code, "InternalError", `${action} ${JSON.stringify(params)}: ${e.message}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  test("a refused BatchCreateRoom or BatchCreateGroupWithMembers creates nothing", async () => {
    const fresh = await lcicApp(server);
    const c = fresh.client;
    const client = commonClient(server, "2022-08-17");
    const now = await serverNow(server);
    const [teacher, student] = (await c.BatchRegister({ Users: [{ SdkAppId: fresh.sdkAppId }, { SdkAppId: fresh.sdkAppId }] })).Users!.map(
      (u) => u.UserId!,
    );
    const good = { Name: "ok", StartTime: now + 60, EndTime: now + 600, Resolution: 1, MaxMicNumber: 1, SubType: "video" };
    // One bad field in one room of the batch, anywhere.
    const badRoom = fc.oneof(
      fc.record({ StartTime: fc.integer({ min: 0, max: now - 3600 }) }),
      fc.record({ EndTime: fc.integer({ min: 0, max: now + 60 }) }),
      fc.record({ Resolution: fc.integer().filter((r) => r < 1 || r > 3) }),
      fc.record({ MaxMicNumber: fc.integer({ min: 17 }) }),
      fc.record({ SubType: fc.string().filter((s) => s !== "video" && s !== "videodoc") }),
      fc.record({ TeacherId: fc.string({ minLength: 1, maxLength: 10 }) }),
      fc.record({ GroupId: fc.string({ minLength: 1, maxLength: 10 }) }),
      fc.record({ Name: fc.constant("") }),
      fc.record({ Unknown: fc.integer() }),
    );
    const badGroup = fc.oneof(
      fc.record({ GroupBaseInfos: fc.constant([{ GroupName: "x", TeacherId: "ghost" }]) }),
      fc.record({ GroupBaseInfos: fc.constant([{ GroupName: "x", TeacherId: teacher }]), MemberIds: fc.constant([teacher]) }),
      fc.record({ MemberIds: fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 5 }).map((m) => [student, ...m, "ghost"]) }),
      fc.record({ GroupBaseInfos: fc.constant([]) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(3), fc.nat(3), badRoom, badGroup, async (goods, at, bad, groupBad) => {
        const rooms: Record<string, unknown>[] = Array.from({ length: goods }, () => ({ ...good }));
        rooms.splice(Math.min(at, rooms.length), 0, { ...good, ...bad });
        await assert.rejects(client.request("BatchCreateRoom", { SdkAppId: fresh.sdkAppId, RoomInfos: rooms }), (e: { code?: string }) => {
          assert.ok(e.code && e.code !== "InternalError", String(e.code));
          return true;
        });
        const groups = {
          SdkAppId: fresh.sdkAppId,
          GroupBaseInfos: [{ GroupName: "a" }, { GroupName: "b" }],
          MemberIds: [student],
          ...groupBad,
        };
        await assert.rejects(client.request("BatchCreateGroupWithMembers", groups), (e: { code?: string }) => {
          assert.ok(e.code && e.code !== "InternalError", String(e.code));
          return true;
        });
      }),
      { numRuns: 60 },
    );
    const rooms = await c.GetRooms({ SdkAppId: fresh.sdkAppId, StartTime: 0, EndTime: 2 ** 32, Limit: 100 });
    assert.equal(rooms.Total, 0, "no room of a refused batch");
    assert.equal((await c.DescribeGroupList({ SdkAppId: fresh.sdkAppId })).Total, 0, "no group of a refused batch");
  });
});
