// Rooms through the official SDK: CreateRoom, DescribeRoom, ModifyRoom, DeleteRoom,
// StartRoom, EndRoom, GetRooms, the lifecycle jobs on the domain clock (auto start,
// scheduled end, expiry) and the documented errors of every room action.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { createRoom, eventFactory, ingest, lcicApp, lcicClient, serverNow, type LcicApp, type LcicClient } from "./lcic-support.ts";

for (const backend of backends()) {
  describe(`LCIC rooms (${backend})`, () => {
    let server: TestServer;
    let app: LcicApp;
    let c: LcicClient;
    let teacher: string;
    let foreignApp: number;
    let foreignClient: LcicClient;
    before(async () => {
      // Many calls per second here: the 20/s limit is tested in users-groups.test.ts.
      server = await startServer({ backend, args: ["--rate-limit", "10000"] });
      app = await lcicApp(server);
      c = app.client;
      teacher = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Ms. T" })).UserId!;
      const foreign = await server.admin("POST", "/accounts", { name: "other school" });
      foreignApp = Number(
        (await server.admin<{ appId: string }>("POST", "/apps", { products: ["lcic"], accountId: foreign.accountId })).appId,
      );
      foreignClient = lcicClient(server, { secretId: foreign.secretId, secretKey: foreign.secretKey });
    });
    after(() => server.stop());

    test("CreateRoom and DescribeRoom: fields, defaults, RoomId below 2^53", async () => {
      const now = await serverNow(server);
      const assistant = (await c.RegisterUser({ SdkAppId: app.sdkAppId })).UserId!;
      const roomId = await createRoom(app, now + 600, {
        TeacherId: teacher,
        Assistants: [assistant],
        EndDelayTime: 10,
        RoomType: 1,
        MaxMicNumber: 1,
      });
      assert.ok(Number.isSafeInteger(roomId) && roomId > 0);
      const d = await c.DescribeRoom({ RoomId: roomId });
      assert.equal(d.Name, "Physics 101");
      assert.equal(d.StartTime, now + 600);
      assert.equal(d.EndTime, now + 4200);
      assert.equal(d.SdkAppId, app.sdkAppId);
      assert.equal(d.TeacherId, teacher);
      assert.deepEqual(d.Assistants, [assistant]);
      assert.equal(d.Status, 0);
      assert.equal(d.RoomType, 1);
      assert.equal(d.EndDelayTime, 10);
      assert.equal(d.RecordLayout, 3); // videodoc default
      assert.equal(d.AutoMic, 0);
      assert.equal(d.SubType, "videodoc");
      assert.equal(d.RecordUrl, "");
      assert.equal(d.GroupId, "");
      assert.ok(d.RequestId);
    });

    test("CreateRoom errors", async () => {
      const now = await serverNow(server);
      const base = {
        SdkAppId: app.sdkAppId,
        Name: "x",
        StartTime: now + 60,
        EndTime: now + 3600,
        Resolution: 1,
        MaxMicNumber: 1,
        SubType: "video",
      };
      const code = async (over: Record<string, unknown>) => (await sdkError(c.CreateRoom({ ...base, ...over } as never))).code;
      assert.equal(await code({ StartTime: now - 3600 }), "InvalidParameter.StartTime");
      assert.equal(await code({ EndTime: now + 30 }), "InvalidParameter.EndTime");
      assert.equal(await code({ EndTime: now + 60 + 72 * 3600 + 1 }), "FailedOperation.ClassTooLong");
      assert.equal(await code({ SdkAppId: foreignApp }), "InvalidParameter.SdkAppId");
      assert.equal(await code({ MaxMicNumber: 17 }), "InvalidParameter.MaxMicNumber");
      assert.equal(await code({ RoomType: 1, MaxMicNumber: 2 }), "InvalidParameter.MaxMicNumber");
      assert.equal(await code({ RoomType: 9 }), "InvalidParameter.RoomTypeInvalid");
      assert.equal(await code({ LiveType: 5 }), "InvalidParameter.LiveType");
      assert.equal(await code({ DisableRecord: 4 }), "InvalidParameter.DisableRecord");
      assert.equal(await code({ RecordLayout: -1 }), "InvalidParameter.RecordLayout");
      assert.equal(await code({ TeacherId: "ghost" }), "ResourceNotFound.User");
      assert.equal(await code({ GroupId: "ghost" }), "ResourceNotFound.GroupNotExist");
      assert.equal(await code({ Resolution: 4 }), "InvalidParameterValue");
      assert.equal(await code({ SubType: "audio" }), "InvalidParameterValue");
      assert.equal(await code({ EndDelayTime: 121 }), "InvalidParameterValue");
      assert.equal(await code({ Name: "x".repeat(257) }), "InvalidParameterValue");
      assert.equal(await code({ Bogus: 1 }), "UnknownParameter");
      assert.equal((await sdkError(c.CreateRoom({ SdkAppId: app.sdkAppId } as never))).code, "MissingParameter");
      // A 256-character Chinese name is fine (characters, not bytes).
      const ok = await c.CreateRoom({ ...base, Name: "课".repeat(256) } as never);
      assert.ok(ok.RoomId);
    });

    test("ModifyRoom before and after the start, and its errors", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 600);
      await c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, Name: "Renamed", MaxMicNumber: 3, TeacherId: teacher });
      const d = await c.DescribeRoom({ RoomId: roomId });
      assert.deepEqual([d.Name, d.MaxMicNumber, d.TeacherId], ["Renamed", 3, teacher]);
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, EndTime: now + 1 }))).code,
        "InvalidParameter.EndTime",
      );
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, StartTime: now - 7200 }))).code,
        "InvalidParameter.StartTime",
      );
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, TeacherId: "ghost" }))).code,
        "ResourceNotFound.User",
      );
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, EndTime: now + 600 + 73 * 3600 }))).code,
        "FailedOperation.ClassTooLong",
      );
      assert.equal((await sdkError(c.ModifyRoom({ RoomId: 1, SdkAppId: app.sdkAppId, Name: "x" }))).code, "ResourceNotFound.Room");
      assert.equal((await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: foreignApp, Name: "x" }))).code, "InvalidParameter.SdkAppId");
      assert.equal((await sdkError(c.ModifyRoom({ RoomId: roomId, Name: "x" } as never))).code, "MissingParameter");
      assert.equal((await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, Nope: 1 } as never))).code, "UnknownParameter");
      assert.equal((await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, Resolution: 0 }))).code, "InvalidParameterValue");
      await c.StartRoom({ RoomId: roomId });
      await c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, Name: "Live" });
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, MaxMicNumber: 1 }))).code,
        "FailedOperation.ClassStarted",
      );
      await c.EndRoom({ RoomId: roomId });
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, Name: "x" }))).code,
        "FailedOperation.ClassEnded",
      );
    });

    test("StartRoom / EndRoom / DeleteRoom transitions and errors", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 600);
      assert.equal((await sdkError(c.DeleteRoom({ RoomId: 1 }))).code, "ResourceNotFound.Room");
      await c.StartRoom({ RoomId: roomId });
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 1);
      assert.equal((await sdkError(c.StartRoom({ RoomId: roomId }))).code, "FailedOperation.ClassStarted");
      assert.equal((await sdkError(c.DeleteRoom({ RoomId: roomId }))).code, "FailedOperation.ClassStarted");
      await c.EndRoom({ RoomId: roomId });
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 2);
      assert.equal((await sdkError(c.StartRoom({ RoomId: roomId }))).code, "FailedOperation.ClassEnded");
      assert.equal((await sdkError(c.EndRoom({ RoomId: roomId }))).code, "FailedOperation.ClassEnded");
      await c.DeleteRoom({ RoomId: roomId });
      assert.equal((await sdkError(c.DescribeRoom({ RoomId: roomId }))).code, "ResourceNotFound.Room");
      for (const call of [() => c.StartRoom({ RoomId: 42 }), () => c.EndRoom({ RoomId: 42 }), () => c.DescribeRoom({ RoomId: 42 })]) {
        assert.equal((await sdkError(call())).code, "ResourceNotFound.Room");
      }
    });

    test("another account's room is ResourceNotFound.Room for every room action", async () => {
      const now = await serverNow(server);
      const theirs = (
        await foreignClient.CreateRoom({
          SdkAppId: foreignApp,
          Name: "theirs",
          StartTime: now + 60,
          EndTime: now + 3600,
          Resolution: 1,
          MaxMicNumber: 1,
          SubType: "video",
        })
      ).RoomId!;
      const codes = await Promise.all([
        sdkError(c.DescribeRoom({ RoomId: theirs })),
        sdkError(c.StartRoom({ RoomId: theirs })),
        sdkError(c.EndRoom({ RoomId: theirs })),
        sdkError(c.DeleteRoom({ RoomId: theirs })),
        sdkError(c.DescribeRoomStatistics({ RoomId: theirs, Page: 1, Limit: 10 })),
        sdkError(c.DescribeCurrentMemberList({ RoomId: theirs, Page: 1, Limit: 10 })),
        sdkError(c.ModifyRoom({ RoomId: theirs, SdkAppId: app.sdkAppId, Name: "x" })),
        sdkError(c.GetRoomEvent({ RoomId: theirs, SdkAppId: app.sdkAppId, Page: 1, Limit: 10 })),
        sdkError(c.GetRoomMessage({ RoomId: theirs, SdkAppId: app.sdkAppId })),
        sdkError(c.KickUserFromRoom({ RoomId: theirs, SdkAppId: app.sdkAppId, UserId: teacher, KickType: 1, Duration: 1 })),
        sdkError(c.UnblockKickedUser({ RoomId: theirs, SdkAppId: app.sdkAppId, UserId: teacher })),
        sdkError(
          c.SendRoomNormalMessage({
            RoomId: theirs,
            SdkAppId: app.sdkAppId,
            FromAccount: teacher,
            MsgBody: [{ MsgType: "TIMTextElem", TextMsgContent: { Text: "hi" } }],
          }),
        ),
      ]);
      assert.deepEqual(
        codes.map((e) => e.code),
        Array(12).fill("ResourceNotFound.Room"),
      );
      // Their own SdkAppId in our hands: the app is not ours.
      assert.equal(
        (await sdkError(c.GetRoomEvent({ RoomId: theirs, SdkAppId: foreignApp, Page: 1, Limit: 10 }))).code,
        "InvalidParameter.SdkAppId",
      );
      assert.equal((await foreignClient.DescribeRoom({ RoomId: theirs })).Name, "theirs");
    });

    test("auto start at StartTime, end at EndTime + EndDelayTime, statistics after the settle delay", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 100, { EnableAutoStart: 1, EndDelayTime: 5 });
      await server.advance(50);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 0);
      await server.advance(60);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 1);
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 }))).code, "FailedOperation.RoomNotEnd");
      await server.advance(3600); // EndTime passed, the 5 minutes of overtime not yet
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 1);
      await server.advance(300);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 2);
      // The statistics wait for the settle delay (5 s by default) after the end.
      assert.equal(
        (await sdkError(c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 }))).code,
        "ResourceUnavailable.RoomStatistics",
      );
      await server.advance(5);
      const stats = await c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 });
      assert.equal(stats.RealStartTime, now + 100);
      assert.equal(stats.RealEndTime, now + 100 + 3600 + 300);
      assert.equal(stats.Total, 0);
      assert.deepEqual(stats.MemberRecords, []);
      const events = await c.GetRoomEvent({ RoomId: roomId, SdkAppId: app.sdkAppId, Page: 1, Limit: 10 });
      assert.deepEqual(
        events.Events!.map((e) => [e.EventType, e.Timestamp]),
        [
          ["RoomStart", now + 100],
          ["RoomEnd", now + 4000],
        ],
      );
    });

    test("a room that never starts expires at its end; EndDelayTime -1 ends at EndTime", async () => {
      const now = await serverNow(server);
      const idle = await createRoom(app, now + 60, { EndDelayTime: -1 });
      const held = await createRoom(app, now + 60, { EndDelayTime: -1 });
      await c.StartRoom({ RoomId: held });
      await server.advance(60 + 3600);
      assert.equal((await c.DescribeRoom({ RoomId: idle })).Status, 3);
      assert.equal((await c.DescribeRoom({ RoomId: held })).Status, 2);
      assert.equal((await sdkError(c.StartRoom({ RoomId: idle }))).code, "FailedOperation.ClassExpired");
      assert.equal((await sdkError(c.EndRoom({ RoomId: idle }))).code, "FailedOperation.ClassExpired");
      assert.equal(
        (await sdkError(c.ModifyRoom({ RoomId: idle, SdkAppId: app.sdkAppId, Name: "x" }))).code,
        "FailedOperation.ClassExpired",
      );
      assert.equal((await sdkError(c.DescribeRoomStatistics({ RoomId: idle, Page: 1, Limit: 1 }))).code, "FailedOperation.ClassExpired");
      assert.equal((await sdkError(c.DescribeCurrentMemberList({ RoomId: idle, Page: 1, Limit: 1 }))).code, "FailedOperation.ClassExpired");
      assert.equal((await sdkError(c.DescribeCurrentMemberList({ RoomId: held, Page: 1, Limit: 1 }))).code, "FailedOperation.ClassEnded");
      await c.DeleteRoom({ RoomId: idle });
    });

    test("ModifyRoom moves the scheduled start and end", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 100, { EnableAutoStart: 1, EndDelayTime: -1 });
      await c.ModifyRoom({ RoomId: roomId, SdkAppId: app.sdkAppId, StartTime: now + 1000, EndTime: now + 2000 });
      await server.advance(200);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 0);
      await server.advance(900);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 1);
      await server.advance(1000);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 2);
    });

    test("the teacher's first entry starts the room", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 600, { TeacherId: teacher });
      const ev = eventFactory(roomId, `t${roomId}`);
      await ingest(server, app.ingestKey, [ev("lcic.member.joined", now - 10, "student-x", { Role: 0 })]);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 0);
      await ingest(server, app.ingestKey, [ev("lcic.member.joined", now - 5, teacher, { Device: 1 })]);
      assert.equal((await c.DescribeRoom({ RoomId: roomId })).Status, 1);
      const events = await c.GetRoomEvent({ RoomId: roomId, SdkAppId: app.sdkAppId, Page: 1, Limit: 10, Keyword: "RoomStart" });
      assert.deepEqual(
        events.Events!.map((e) => e.Timestamp),
        [now - 5],
      );
      // A join reported with a time in the future starts the room no later than now.
      const other = await createRoom(app, now + 600, { TeacherId: teacher });
      await ingest(server, app.ingestKey, [eventFactory(other, `f${other}`)("lcic.member.joined", now + 3600, "t2", { Role: 1 })]);
      const start = (await c.GetRoomEvent({ RoomId: other, SdkAppId: app.sdkAppId, Page: 1, Limit: 10, Keyword: "RoomStart" })).Events![0]!
        .Timestamp!;
      assert.ok(start >= now && start < now + 3600);
    });

    test("GetRooms: window, status filter, paging, limits", async () => {
      const fresh = await lcicApp(server);
      const now = await serverNow(server);
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await createRoom(fresh, now + 60 + i * 60));
      const later = await createRoom(fresh, now + 86_400);
      await fresh.client.StartRoom({ RoomId: ids[0]! });
      const all = await fresh.client.GetRooms({ SdkAppId: fresh.sdkAppId });
      assert.equal(all.Total, 5);
      assert.deepEqual(
        all.Rooms!.map((r) => r.RoomId),
        ids,
      );
      const wide = await fresh.client.GetRooms({ SdkAppId: fresh.sdkAppId, StartTime: now, EndTime: now + 90_000, Page: 2, Limit: 4 });
      assert.equal(wide.Total, 6);
      assert.deepEqual(
        wide.Rooms!.map((r) => r.RoomId),
        [ids[4], later],
      );
      const started = await fresh.client.GetRooms({ SdkAppId: fresh.sdkAppId, Status: [1] });
      assert.deepEqual(
        started.Rooms!.map((r) => [r.RoomId, r.Status]),
        [[ids[0], 1]],
      );
      assert.ok(started.Rooms![0]!.RealStartTime! >= now);
      assert.equal(started.Rooms![0]!.Name, "Physics 101");
      assert.equal((await sdkError(fresh.client.GetRooms({ SdkAppId: fresh.sdkAppId, Limit: 101 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(fresh.client.GetRooms({ SdkAppId: foreignApp }))).code, "InvalidParameter.SdkAppId");
    });

    test("during-class actions: their errors", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 600);
      const text = [{ MsgType: "TIMTextElem", TextMsgContent: { Text: "hi" } }];
      const code = async (p: Promise<unknown>) => (await sdkError(p)).code;
      assert.equal(
        await code(
          c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: teacher, MsgBody: [{ MsgType: "TIMSoundElem" }] }),
        ),
        "InvalidParameterValue",
      );
      assert.equal(
        await code(
          c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: teacher, MsgBody: [{ MsgType: "TIMTextElem" }] }),
        ),
        "MissingParameter",
      );
      assert.equal(
        await code(c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: teacher, MsgBody: [] })),
        "InvalidParameterValue",
      );
      assert.equal(
        await code(c.SendRoomNormalMessage({ SdkAppId: foreignApp, RoomId: roomId, FromAccount: teacher, MsgBody: text })),
        "InvalidParameter.SdkAppId",
      );
      assert.equal(
        await code(c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: 5, FromAccount: teacher, MsgBody: text })),
        "ResourceNotFound.Room",
      );
      await c.SendRoomNormalMessage({
        SdkAppId: app.sdkAppId,
        RoomId: roomId,
        FromAccount: teacher,
        MsgBody: [
          {
            MsgType: "TIMImageElem",
            ImageMsgContent: {
              UUID: "u",
              ImageFormat: 1,
              ImageInfoList: [{ Type: 1, Size: 10, Width: 1, Height: 1, URL: "https://img/1.jpg" }],
            },
          },
          { MsgType: "TIMCustomElem", CustomMsgContent: { Data: "d", Desc: "x", Ext: "e" } },
          { MsgType: "TIMFaceElem", FaceMsgContent: { Index: 3, Data: "smile" } },
        ],
      });
      const msgs = await c.GetRoomMessage({ SdkAppId: app.sdkAppId, RoomId: roomId });
      assert.deepEqual(msgs.Messages![0]!.MessageBody, [
        { MessageType: 1, TextMessage: "", ImageMessage: "https://img/1.jpg", CustomMessage: { Data: "", Desc: "", Ext: "" } },
        { MessageType: 2, TextMessage: "", ImageMessage: "", CustomMessage: { Data: "d", Desc: "x", Ext: "e" } },
        { MessageType: 2, TextMessage: "", ImageMessage: "", CustomMessage: { Data: "smile", Desc: "3", Ext: "" } },
      ]);
      assert.equal(msgs.Messages![0]!.Seq, 1);
      assert.equal(
        await code(c.KickUserFromRoom({ SdkAppId: app.sdkAppId, RoomId: roomId, UserId: teacher, KickType: 3, Duration: 0 })),
        "InvalidParameterValue",
      );
      assert.equal(
        await code(c.KickUserFromRoom({ SdkAppId: app.sdkAppId, RoomId: 5, UserId: teacher, KickType: 1, Duration: 0 })),
        "ResourceNotFound.Room",
      );
      assert.equal(await code(c.UnblockKickedUser({ SdkAppId: app.sdkAppId, RoomId: 5, UserId: teacher })), "ResourceNotFound.Room");
      assert.equal(
        await code(c.KickUserFromRoom({ SdkAppId: foreignApp, RoomId: roomId, UserId: teacher, KickType: 1, Duration: 0 })),
        "ResourceNotFound.Room",
      );
      assert.equal(await code(c.UnblockKickedUser({ SdkAppId: foreignApp, RoomId: roomId, UserId: teacher })), "ResourceNotFound.Room");
      assert.equal(await code(c.UnblockKickedUser({ SdkAppId: app.sdkAppId, RoomId: roomId, UserId: teacher })), "ResourceNotFound.User");
      assert.equal(
        await code(c.GetRoomEvent({ SdkAppId: app.sdkAppId, RoomId: roomId, Page: 1, Limit: 10, Keyword: "Nope" })),
        "InvalidParameterValue",
      );
      assert.equal(await code(c.GetRoomEvent({ SdkAppId: app.sdkAppId, RoomId: 5, Page: 1, Limit: 10 })), "ResourceNotFound.Room");
      assert.equal(await code(c.GetRoomMessage({ SdkAppId: app.sdkAppId, RoomId: 5 })), "ResourceNotFound.Room");
      assert.equal(await code(c.DescribeCurrentMemberList({ RoomId: 5, Page: 1, Limit: 10 })), "ResourceNotFound.Room");
      assert.equal(await code(c.DescribeCurrentMemberList({ RoomId: roomId, Page: 1, Limit: 1001 })), "InvalidParameterValue");
      // A kicked user not in the room: the block alone; in a room that has not started, nobody is online.
      await c.KickUserFromRoom({ SdkAppId: app.sdkAppId, RoomId: roomId, UserId: teacher, KickType: 1, Duration: 30 });
      await c.UnblockKickedUser({ SdkAppId: app.sdkAppId, RoomId: roomId, UserId: teacher });
      assert.equal((await c.GetRoomEvent({ SdkAppId: app.sdkAppId, RoomId: roomId, Page: 1, Limit: 10 })).Total, 0);
      await c.EndRoom({ RoomId: roomId });
      assert.equal(
        await code(c.SendRoomNormalMessage({ SdkAppId: app.sdkAppId, RoomId: roomId, FromAccount: teacher, MsgBody: text })),
        "FailedOperation.ClassEnded",
      );
      assert.equal(
        await code(c.KickUserFromRoom({ SdkAppId: app.sdkAppId, RoomId: roomId, UserId: teacher, KickType: 2, Duration: 0 })),
        "FailedOperation.ClassEnded",
      );
      // Ended without ever starting: statistics with no RealStartTime.
      await server.advance(5);
      const stats = await c.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 });
      assert.equal(stats.RealStartTime, null);
      assert.equal(stats.MessageCount, 1);
      assert.equal(stats.Total, 0);
    });
  });
}
