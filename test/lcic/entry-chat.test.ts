// Rooms and entry, chat control and user profiles through the official SDK (issue 20, first
// half): BatchCreateRoom, LoginUserWithRoom, LoginOriginId, LoginOriginIdWithRoom,
// ForbidSendMsg, DescribeRoomForbiddenUser, SendRoomNotificationMessage, DescribeUserDetail,
// ModifyUserProfile, with their documented errors.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { createRoom, eventFactory, ingest, lcicApp, lcicClient, serverNow, type LcicApp, type LcicClient } from "./lcic-support.ts";

const FOREVER = 4294967295;

for (const backend of backends()) {
  describe(`LCIC entry, chat control, profiles (${backend})`, () => {
    let server: TestServer;
    let app: LcicApp;
    let c: LcicClient;
    let teacher: string;
    let foreignApp: number;
    let foreignClient: LcicClient;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "10000"] });
      app = await lcicApp(server);
      c = app.client;
      teacher = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Ms. T", OriginId: "t-1" })).UserId!;
      const foreign = await server.admin("POST", "/accounts", { name: "other school" });
      foreignApp = Number(
        (await server.admin<{ appId: string }>("POST", "/apps", { products: ["lcic"], accountId: foreign.accountId })).appId,
      );
      foreignClient = lcicClient(server, { secretId: foreign.secretId, secretKey: foreign.secretKey });
    });
    after(() => server.stop());

    const info = (start: number, over: Record<string, unknown> = {}) => ({
      Name: "Batch room",
      StartTime: start,
      EndTime: start + 1800,
      Resolution: 1,
      MaxMicNumber: 1,
      SubType: "video",
      ...over,
    });

    test("BatchCreateRoom creates the rooms in order, each as CreateRoom would", async () => {
      const now = await serverNow(server);
      const res = await c.BatchCreateRoom({
        SdkAppId: app.sdkAppId,
        RoomInfos: [info(now + 60, { Name: "first", TeacherId: teacher }), info(now + 120, { Name: "second", SubType: "videodoc" })],
      });
      assert.equal(res.RoomIds!.length, 2);
      assert.ok(res.RoomIds![0]! < res.RoomIds![1]!);
      const [first, second] = await Promise.all(res.RoomIds!.map((RoomId) => c.DescribeRoom({ RoomId: Number(RoomId) })));
      assert.equal(first!.Name, "first");
      assert.equal(first!.TeacherId, teacher);
      assert.equal(first!.RecordLayout, 0);
      assert.equal(second!.Name, "second");
      // CreateRoom's default for videodoc rooms.
      assert.equal(second!.RecordLayout, 3);
      assert.equal(second!.StartTime, now + 120);
    });

    test("BatchCreateRoom is all or nothing, with CreateRoom's codes and the failing room named", async () => {
      const now = await serverNow(server);
      const before = await c.GetRooms({ SdkAppId: app.sdkAppId, StartTime: now - 3600, EndTime: now + 90000, Limit: 100 });
      const cases: [Record<string, unknown>, string][] = [
        [{ StartTime: now - 7200, EndTime: now - 3600 }, "InvalidParameter.StartTime"],
        [{ EndTime: now + 30 }, "InvalidParameter.EndTime"],
        [{ EndTime: now + 60 + 73 * 3600 }, "FailedOperation.ClassTooLong"],
        [{ TeacherId: "ghost" }, "ResourceNotFound.User"],
        [{ GroupId: "ghost" }, "ResourceNotFound.GroupNotExist"],
        [{ MaxMicNumber: 17 }, "InvalidParameter.MaxMicNumber"],
      ];
      for (const [over, code] of cases) {
        const err = await sdkError(
          c.BatchCreateRoom({ SdkAppId: app.sdkAppId, RoomInfos: [info(now + 60), info(now + 60, over)] as never }),
        );
        assert.equal(err.code, code, JSON.stringify(over));
        assert.match(err.message, /^RoomInfos\.1: /);
      }
      const after = await c.GetRooms({ SdkAppId: app.sdkAppId, StartTime: now - 3600, EndTime: now + 90000, Limit: 100 });
      assert.equal(after.Total, before.Total, "no room of a refused batch was created");
      assert.equal((await sdkError(c.BatchCreateRoom({ SdkAppId: app.sdkAppId, RoomInfos: [] }))).code, "InvalidParameterValue");
      const many = Array.from({ length: 101 }, () => info(now + 60));
      assert.equal((await sdkError(c.BatchCreateRoom({ SdkAppId: app.sdkAppId, RoomInfos: many as never }))).code, "InvalidParameterValue");
      assert.equal(
        (await sdkError(c.BatchCreateRoom({ SdkAppId: foreignApp, RoomInfos: [info(now + 60)] as never }))).code,
        "InvalidParameter.SdkAppId",
      );
      assert.equal(
        (await sdkError(c.BatchCreateRoom({ SdkAppId: app.sdkAppId, RoomInfos: [{ ...info(now + 60), Nope: 1 }] as never }))).code,
        "UnknownParameter",
      );
      assert.equal(
        (await sdkError(c.BatchCreateRoom({ SdkAppId: app.sdkAppId, RoomInfos: [{ Name: "x" }] as never }))).code,
        "MissingParameter",
      );
    });

    test("LoginUserWithRoom, LoginOriginId, LoginOriginIdWithRoom", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const a = await c.LoginUserWithRoom({ UserId: teacher, RoomId: roomId });
      assert.equal(a.UserId, teacher);
      assert.ok(a.Token && a.Token.length > 0);
      const b = await c.LoginOriginId({ SdkAppId: app.sdkAppId, OriginId: "t-1" });
      assert.equal(b.UserId, teacher);
      assert.ok(b.Token);
      assert.notEqual(b.Token, a.Token);
      const d = await c.LoginOriginIdWithRoom({ SdkAppId: app.sdkAppId, OriginId: "t-1", RoomId: roomId });
      assert.equal(d.UserId, teacher);
      assert.ok(d.Token);
      // An ended room still gives a token (the client app opens ended classes too).
      await c.EndRoom({ RoomId: roomId });
      assert.equal((await c.LoginUserWithRoom({ UserId: teacher, RoomId: roomId })).UserId, teacher);
    });

    test("login errors: unknown user or OriginId, another app's or account's room, bad SdkAppId", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const second = await lcicApp(server);
      const otherRoom = await createRoom(second, now + 60);
      const theirs = (
        await foreignClient.CreateRoom({
          SdkAppId: foreignApp,
          Name: "theirs",
          StartTime: now + 60,
          EndTime: now + 600,
          Resolution: 1,
          MaxMicNumber: 1,
          SubType: "video",
        })
      ).RoomId!;
      assert.equal((await sdkError(c.LoginUserWithRoom({ UserId: "ghost", RoomId: roomId }))).code, "ResourceNotFound.User");
      for (const r of [999_999_999, otherRoom, theirs]) {
        assert.equal((await sdkError(c.LoginUserWithRoom({ UserId: teacher, RoomId: r }))).code, "ResourceNotFound.Room", String(r));
        assert.equal(
          (await sdkError(c.LoginOriginIdWithRoom({ SdkAppId: app.sdkAppId, OriginId: "t-1", RoomId: r }))).code,
          "ResourceNotFound.Room",
        );
      }
      assert.equal((await sdkError(c.LoginOriginId({ SdkAppId: app.sdkAppId, OriginId: "ghost" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.LoginOriginId({ SdkAppId: app.sdkAppId, OriginId: "" }))).code, "ResourceNotFound.User");
      // The OriginId exists in this app, not in the second one.
      assert.equal((await sdkError(c.LoginOriginId({ SdkAppId: second.sdkAppId, OriginId: "t-1" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.LoginOriginId({ SdkAppId: foreignApp, OriginId: "t-1" }))).code, "InvalidParameter.SdkAppId");
      assert.equal(
        (await sdkError(c.LoginOriginIdWithRoom({ SdkAppId: app.sdkAppId, OriginId: "ghost", RoomId: roomId }))).code,
        "ResourceNotFound.User",
      );
      assert.equal(
        (await sdkError(c.LoginOriginIdWithRoom({ SdkAppId: 123, OriginId: "t-1", RoomId: roomId }))).code,
        "InvalidParameter.SdkAppId",
      );
      assert.equal((await sdkError(c.LoginUserWithRoom({ UserId: teacher } as never))).code, "MissingParameter");
    });

    test("ForbidSendMsg mutes and unmutes; DescribeRoomForbiddenUser lists the mutes in force", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60, { TeacherId: teacher });
      const forbidden = async () => (await c.DescribeRoomForbiddenUser({ SdkAppId: app.sdkAppId, RoomId: roomId })).MutedAccountList;
      assert.deepEqual(await forbidden(), []);
      await c.ForbidSendMsg({ SdkAppId: app.sdkAppId, RoomId: roomId, MembersAccount: ["s1", "s2"], MuteTime: 100 });
      // The domain clock runs on between the calls: the mute ends 100 s after it was set.
      const t1 = await serverNow(server);
      await c.ForbidSendMsg({ SdkAppId: app.sdkAppId, RoomId: roomId, MembersAccount: ["s3"], MuteTime: FOREVER });
      const list = await forbidden();
      const until = list![0]!.MutedUntil!;
      assert.ok(until >= now + 100 && until <= t1 + 100, `${until} in [${now + 100}, ${t1 + 100}]`);
      assert.deepEqual(list, [
        { MemberAccount: "s1", MutedUntil: until },
        { MemberAccount: "s2", MutedUntil: until },
        { MemberAccount: "s3", MutedUntil: FOREVER },
      ]);
      // A muted member cannot chat; the others can.
      const text = [{ MsgType: "TIMTextElem", TextMsgContent: { Text: "hi" } }];
      const muted = await sdkError(c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: "s1", MsgBody: text }));
      assert.equal(muted.code, "FailedOperation");
      await c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: "s4", MsgBody: text });
      // Lifted by MuteTime 0; a new mute replaces the old one; an expired one is not listed.
      await c.ForbidSendMsg({ SdkAppId: app.sdkAppId, RoomId: roomId, MembersAccount: ["s2", "nobody"], MuteTime: 0 });
      await c.ForbidSendMsg({ SdkAppId: app.sdkAppId, RoomId: roomId, MembersAccount: ["s3"], MuteTime: 500 });
      const again = await forbidden();
      assert.deepEqual(
        again!.map((m) => m.MemberAccount),
        ["s1", "s3"],
      );
      assert.equal(again![0]!.MutedUntil, until);
      assert.ok(again![1]!.MutedUntil! >= until + 400);
      await server.advance(101);
      assert.deepEqual(await forbidden(), [again![1]]);
      await c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: "s1", MsgBody: text });
      const messages = await c.GetRoomMessage({ SdkAppId: app.sdkAppId, RoomId: roomId });
      assert.deepEqual(
        messages.Messages!.map((m) => m.FromAccount),
        ["s4", "s1"],
      );
    });

    test("a member muted during the class is Silence 1 in the statistics", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 10, { TeacherId: teacher });
      await c.StartRoom({ RoomId: roomId });
      const ev = eventFactory(roomId, `mute-${backend}`);
      await ingest(server, app.ingestKey, [
        ev("lcic.member.joined", now, "loud", { Role: 0 }),
        ev("lcic.member.joined", now, "quiet", { Role: 0 }),
      ]);
      await c.ForbidSendMsg({ SdkAppId: app.sdkAppId, RoomId: roomId, MembersAccount: ["loud"], MuteTime: 60 });
      await c.EndRoom({ RoomId: roomId });
      await server.advance(10);
      const stats = await c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 });
      const silence = Object.fromEntries(stats.MemberRecords!.map((r) => [r.UserId, r.Silence]));
      assert.equal(silence.loud, 1);
      assert.equal(silence.quiet, 0);
    });

    test("ForbidSendMsg / DescribeRoomForbiddenUser errors", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const f = (over: Record<string, unknown>) =>
        sdkError(c.ForbidSendMsg({ SdkAppId: app.sdkAppId, RoomId: roomId, MembersAccount: ["u"], MuteTime: 10, ...over } as never));
      assert.equal((await f({ SdkAppId: foreignApp })).code, "InvalidParameter.SdkAppId");
      assert.equal((await f({ RoomId: 999_999_999 })).code, "ResourceNotFound.Room");
      assert.equal((await f({ MembersAccount: [] })).code, "InvalidParameterValue");
      assert.equal((await f({ MembersAccount: [""] })).code, "InvalidParameterValue");
      assert.equal((await f({ MembersAccount: Array.from({ length: 501 }, (_, i) => `u${i}`) })).code, "InvalidParameterValue");
      assert.equal((await f({ MuteTime: -1 })).code, "InvalidParameterValue");
      assert.equal((await f({ MuteTime: FOREVER + 1 })).code, "InvalidParameterValue");
      assert.equal((await f({ MuteTime: "ten" })).code, "InvalidParameter");
      assert.equal((await f({ MuteTime: undefined })).code, "MissingParameter");
      await c.ForbidSendMsg({
        SdkAppId: app.sdkAppId,
        RoomId: roomId,
        MembersAccount: Array.from({ length: 500 }, (_, i) => `u${i}`),
        MuteTime: 10,
      });
      assert.equal((await c.DescribeRoomForbiddenUser({ SdkAppId: app.sdkAppId, RoomId: roomId })).MutedAccountList!.length, 500);
      assert.equal(
        (await sdkError(c.DescribeRoomForbiddenUser({ SdkAppId: app.sdkAppId, RoomId: 999_999_999 }))).code,
        "ResourceNotFound.Room",
      );
      assert.equal(
        (await sdkError(c.DescribeRoomForbiddenUser({ SdkAppId: foreignApp, RoomId: roomId }))).code,
        "InvalidParameter.SdkAppId",
      );
    });

    test("SendRoomNotificationMessage: accepted in a live room, not chat; its errors", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      await c.SendRoomNotificationMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, MsgContent: "Class starts in 5 minutes" });
      assert.deepEqual((await c.GetRoomMessage({ SdkAppId: app.sdkAppId, RoomId: roomId })).Messages, []);
      const n = (over: Record<string, unknown>) =>
        sdkError(c.SendRoomNotificationMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, MsgContent: "x", ...over } as never));
      assert.equal((await n({ MsgContent: "" })).code, "InvalidParameterValue");
      assert.equal((await n({ MsgContent: "x".repeat(12_001) })).code, "InvalidParameterValue");
      assert.equal((await n({ MsgContent: undefined })).code, "MissingParameter");
      assert.equal((await n({ Extra: 1 })).code, "UnknownParameter");
      assert.equal((await n({ RoomId: 999_999_999 })).code, "ResourceNotFound.Room");
      assert.equal((await n({ SdkAppId: foreignApp })).code, "InvalidParameter.SdkAppId");
      await c.EndRoom({ RoomId: roomId });
      assert.equal((await n({})).code, "FailedOperation.ClassEnded");
    });

    test("DescribeUserDetail by UserId and by OriginId across the account's apps", async () => {
      const second = await lcicApp(server);
      const one = await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Ann", OriginId: "shared-origin", Avatar: "https://a/1.png" });
      const two = await second.client.RegisterUser({ SdkAppId: second.sdkAppId, Name: "Ann too", OriginId: "shared-origin" });
      const byId = await c.DescribeUserDetail({ UserId: one.UserId! });
      assert.deepEqual(byId.Users, [
        { SdkAppId: app.sdkAppId, UserId: one.UserId, Name: "Ann", Avatar: "https://a/1.png", OriginId: "shared-origin" },
      ]);
      // UserId wins over OriginId ("UserId不为空时，OriginId不生效").
      assert.equal((await c.DescribeUserDetail({ UserId: teacher, OriginId: "shared-origin" })).Users![0]!.UserId, teacher);
      const byOrigin = await c.DescribeUserDetail({ OriginId: "shared-origin" });
      assert.deepEqual(
        byOrigin.Users!.map((u) => [u.SdkAppId, u.UserId]),
        [
          [app.sdkAppId, one.UserId],
          [second.sdkAppId, two.UserId],
        ],
      );
      assert.equal((await sdkError(c.DescribeUserDetail({ UserId: "ghost" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.DescribeUserDetail({ OriginId: "ghost" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.DescribeUserDetail({}))).code, "MissingParameter");
      // Another account's user is not found.
      const theirs = await foreignClient.RegisterUser({ SdkAppId: foreignApp, OriginId: "shared-origin" });
      assert.equal((await sdkError(c.DescribeUserDetail({ UserId: theirs.UserId! }))).code, "ResourceNotFound.User");
      assert.equal((await c.DescribeUserDetail({ OriginId: "shared-origin" })).Users!.length, 2);
    });

    test("ModifyUserProfile changes the name and avatar, leaves absent or empty fields", async () => {
      const u = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Old", Avatar: "https://a/old.png" })).UserId!;
      await c.ModifyUserProfile({ UserId: u, Nickname: "New" });
      let d = await c.DescribeUser({ UserId: u });
      assert.deepEqual([d.Name, d.Avatar], ["New", "https://a/old.png"]);
      await c.ModifyUserProfile({ UserId: u, Avatar: "https://a/new.png", Nickname: "" });
      d = await c.DescribeUser({ UserId: u });
      assert.deepEqual([d.Name, d.Avatar], ["New", "https://a/new.png"]);
      await c.ModifyUserProfile({ UserId: u });
      assert.equal((await c.DescribeUser({ UserId: u })).Name, "New");
      assert.equal((await sdkError(c.ModifyUserProfile({ UserId: "ghost", Nickname: "x" }))).code, "ResourceNotFound.User");
      assert.equal((await sdkError(c.ModifyUserProfile({ Nickname: "x" } as never))).code, "MissingParameter");
      const theirs = await foreignClient.RegisterUser({ SdkAppId: foreignApp, Name: "Mallory" });
      assert.equal((await sdkError(c.ModifyUserProfile({ UserId: theirs.UserId!, Nickname: "x" }))).code, "ResourceNotFound.User");
      assert.equal((await foreignClient.DescribeUser({ UserId: theirs.UserId! })).Name, "Mallory");
    });
  });
}
