// The GME voice-room actions through the official SDK, on both backends: DescribeRoomInfo,
// DescribeUserInAndOutTime, DeleteRoomMember, ModifyUserMicStatus (and what a server mute does
// to a recording), ModifyAppStatus, and CreateApp with the documented example's request.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import {
  beginWanted,
  gmeClient,
  ingest,
  recorderClient,
  recordingApp,
  statusesOf,
  taskView,
  type GmeClient,
  type MemberEvent,
} from "./gme-support.ts";

const code = async (p: Promise<unknown>) => (await sdkError(p)).code;

for (const backend of backends()) {
  describe(`GME voice rooms (${backend})`, () => {
    let server: TestServer;
    let gme: GmeClient;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      gme = gmeClient(server);
    });
    after(() => server.stop());

    test("DescribeRoomInfo: integer and string rooms, Uins for integer users and StrUins for the others, empty rooms", async () => {
      const { BizId, room } = await recordingApp(server);
      await room.enter("10086", "100982048", "alice");
      await room.speak("lobby", "7", "bob");
      await room.leave("lobby", "bob");
      const res = await gme.DescribeRoomInfo({ SdkAppId: BizId, RoomIds: [10086, 404, 10086], StrRoomIds: ["lobby", "10086"] });
      assert.equal(res.Result, 0);
      assert.deepEqual(res.RoomUsers, [
        { RoomId: 10086, Uins: [100982048], StrRoomId: "", StrUins: ["alice"] },
        { RoomId: 404, Uins: [], StrRoomId: "", StrUins: [] },
        { RoomId: 0, Uins: [7], StrRoomId: "lobby", StrUins: [] },
        { RoomId: 0, Uins: [100982048], StrRoomId: "10086", StrUins: ["alice"] },
      ]);

      const other = Number(await server.createApp(["lcic"]));
      // Thunks, called one at a time: promises made at once would reject before code() holds
      // them (an unhandled rejection fails the test at random).
      for (const bad of [
        () => gme.DescribeRoomInfo({ SdkAppId: BizId }),
        () => gme.DescribeRoomInfo({ SdkAppId: BizId, RoomIds: [], StrRoomIds: [] }),
        () => gme.DescribeRoomInfo({ SdkAppId: BizId, StrRoomIds: Array.from({ length: 11 }, (_, i) => `r${i}`) }),
        () => gme.DescribeRoomInfo({ SdkAppId: BizId, RoomIds: Array.from({ length: 11 }, (_, i) => i + 1) }),
        () => gme.DescribeRoomInfo({ SdkAppId: BizId, StrRoomIds: ["a/b"] }),
        () => gme.DescribeRoomInfo({ SdkAppId: BizId, RoomIds: [1.5] }),
        () => gme.DescribeRoomInfo({ SdkAppId: other, RoomIds: [1] }),
        () => gme.DescribeRoomInfo({ SdkAppId: 999999999, RoomIds: [1] }),
      ]) {
        assert.equal(await code(bad()), "InvalidParameter");
      }
    });

    test("DescribeUserInAndOutTime: stays in ms folded from reordered events, the open stay ends now, Duration their sum", async () => {
      const { BizId, bizId, key } = await recordingApp(server);
      const t0 = Date.now() - 3_600_000;
      const ev = (type: MemberEvent, at: number, userId = "42", roomId = "12675079") => ({
        id: randomUUID(),
        type,
        ctime: t0 + at,
        data: { roomId, userId },
      });
      // Sent out of order and in two batches; audio.started counts as being in the room, a
      // repeated leave changes nothing.
      assert.equal(
        (await ingest(server, key, [ev("gme.user.left", 12_000), ev("gme.audio.started", 1_000), ev("gme.user.entered", 0)])).status,
        200,
      );
      assert.equal(
        (await ingest(server, key, [ev("gme.user.left", 20_500), ev("gme.user.left", 20_000), ev("gme.user.entered", 15_000)])).status,
        200,
      );
      const res = await gme.DescribeUserInAndOutTime({ BizId, RoomId: 12675079, UserId: 42 });
      assert.deepEqual(res.InOutList, [
        { StartTime: t0, EndTime: t0 + 12_000 },
        { StartTime: t0 + 15_000, EndTime: t0 + 20_000 },
      ]);
      assert.equal(res.Duration, 17_000);

      // String ids take precedence over the integer ones; a stay still open ends now.
      await ingest(server, key, [ev("gme.user.entered", 30_000, "alice", "lobby")]);
      const before = Date.now();
      const open = await gme.DescribeUserInAndOutTime({ BizId, RoomId: 0, UserId: 0, RoomIdStr: "lobby", UserIdStr: "alice" });
      assert.equal(open.InOutList!.length, 1);
      assert.equal(open.InOutList![0]!.StartTime, t0 + 30_000);
      assert.ok(open.InOutList![0]!.EndTime! >= before - 1000, "ends now");
      assert.equal(open.Duration, open.InOutList![0]!.EndTime! - open.InOutList![0]!.StartTime!);
      // A user never seen: no stays.
      assert.deepEqual(await gme.DescribeUserInAndOutTime({ BizId, RoomId: 1, UserId: 2 }).then((r) => [r.InOutList, r.Duration]), [[], 0]);

      assert.equal(
        await code(gme.DescribeUserInAndOutTime({ BizId: 999999999, RoomId: 1, UserId: 2 })),
        "ResourceNotFound.BizidIsNotFound",
      );
      assert.equal(await code(gme.DescribeUserInAndOutTime({ BizId, RoomId: 1, UserId: 0 })), "InvalidParameter");
      assert.equal(await code(gme.DescribeUserInAndOutTime({ BizId, RoomId: -1, UserId: 2 })), "InvalidParameter");
      assert.equal(await code(gme.DescribeUserInAndOutTime({ BizId, RoomId: 1, UserId: 2, RoomIdStr: "a/b" })), "InvalidParameter");
      assert.equal(await code(gme.DescribeUserInAndOutTime({ BizId, RoomId: 1 } as never)), "MissingParameter");
      assert.ok(bizId);
    });

    test("DeleteRoomMember: removed users leave (presence, stays); deleting the room empties it and its recording stops", async () => {
      const { BizId, room } = await recordingApp(server);
      await room.speak("100", "1", "2", "carol", "dave");
      const kicked = await gme.DeleteRoomMember({ BizId, RoomId: "100", DeleteType: 2, Uids: ["2", "1", "999"], StrUids: [] });
      assert.deepEqual(kicked.DeleteResult, { Code: 0, ErrorMsg: "" });
      const users = async () => (await gme.DescribeRoomInfo({ SdkAppId: BizId, StrRoomIds: ["100"] })).RoomUsers![0]!;
      assert.deepEqual([(await users()).Uins, (await users()).StrUins], [[], ["carol", "dave"]]);
      const stays = await gme.DescribeUserInAndOutTime({ BizId, RoomId: 100, UserId: 1 });
      assert.equal(stays.InOutList!.length, 1);
      await server.advance(1);
      assert.deepEqual(
        (await gme.DescribeUserInAndOutTime({ BizId, RoomId: 100, UserId: 1 })).InOutList,
        stays.InOutList,
        "the kick closed the stay",
      );

      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "100", RecordMode: 1 });
      await gme.DeleteRoomMember({ BizId, RoomId: "100", DeleteType: 1 });
      assert.deepEqual([(await users()).Uins, (await users()).StrUins], [[], []]);
      assert.equal(await code(gme.DeleteRoomMember({ BizId, RoomId: "100", DeleteType: 1 })), "ResourceNotFound");
      // The emptied room's recording stops after the app's delay (60 s by default).
      assert.equal((await gme.DescribeTaskInfo({ BizId, RoomId: "100" })).TaskId, TaskId);
      await server.advance(61);
      let stopped = false;
      for (let i = 0; i < 100 && !stopped; i++) {
        stopped = (await code(gme.StopRecord({ BizId, TaskId }))) === "ResourceNotFound.TaskNotFound";
        if (!stopped) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(stopped, "the recording of the deleted room stopped");

      await room.enter("r2", "erin");
      const del = (o: object) => code(gme.DeleteRoomMember({ BizId, RoomId: "r2", DeleteType: 2, ...o }));
      assert.equal(await del({ DeleteType: 3, StrUids: ["erin"] }), "InvalidParameterValue.InvalidDeleteType");
      assert.equal(await del({}), "InvalidParameterValue.InvalidUinOrStrUin");
      assert.equal(await del({ Uids: ["x1"] }), "InvalidParameterValue.InvalidUinOrStrUin");
      assert.equal(await del({ StrUids: ["a/b"] }), "InvalidParameterValue.InvalidStrUin");
      assert.equal(await del({ StrUids: Array.from({ length: 101 }, (_, i) => `u${i}`) }), "UnsupportedOperation.LimitDeleteExceeded");
      assert.equal(await code(gme.DeleteRoomMember({ BizId: 999999999, RoomId: "r2", DeleteType: 1 })), "ResourceNotFound");
      assert.equal(await code(gme.DeleteRoomMember({ BizId, RoomId: "", DeleteType: 1 })), "InvalidParameter");
      // None of the refused calls removed anyone.
      assert.deepEqual((await gme.DescribeRoomInfo({ SdkAppId: BizId, StrRoomIds: ["r2"] })).RoomUsers![0]!.StrUins, ["erin"]);
    });

    test("ModifyUserMicStatus: a muted user's stream is not recorded; one that began stops being captured; leaving lifts the mute", async () => {
      const { BizId, key, worker, room } = await recordingApp(server);
      await room.speak("m1", "a", "b", "1111");
      // The documented example's shape: an integer Uid beside an empty StrUid (StrUid wins when set).
      const res = await gme.ModifyUserMicStatus({ BizId, RoomId: "m1", Users: [{ Uid: 1111, EnableMic: 1, StrUid: "" }] });
      assert.deepEqual([res.Result, res.ErrMsg], [0, ""]);
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "m1", RecordMode: 3 });
      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      let view = await taskView(server, key, TaskId);
      assert.deepEqual(
        [view.capture, view.toBegin],
        [
          ["0", "a", "b"],
          ["0", "a", "b"],
        ],
      );
      await beginWanted(server, key, recorder, TaskId);
      // A begin report for the muted user (a recorder that crossed the mute) is not recorded.
      await recorder.report(String(TaskId), [{ type: "stream.began", data: { userId: "1111" } }]);
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ BizId, TaskId })), { "0": 2, a: 2, b: 2 });

      // b muted after their stream began: no longer captured; the entry stays (like a pause).
      await gme.ModifyUserMicStatus({ BizId, RoomId: "m1", Users: [{ StrUid: "b", EnableMic: 1, Uid: 0 }] });
      view = await taskView(server, key, TaskId);
      assert.deepEqual([view.capture, view.toBegin], [["0", "a"], []]);
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ BizId, TaskId })), { "0": 2, a: 2, b: 2 });
      // Unmuted (StrUid null: the model allows it; Uid names the user): 1111 is wanted again.
      await gme.ModifyUserMicStatus({ BizId, RoomId: "m1", Users: [{ Uid: 1111, EnableMic: 2, StrUid: null as unknown as string }] });
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["1111"]);
      // Leaving lifts b's mute: back in the room and speaking, b is captured again.
      await room.leave("m1", "b");
      await room.speak("m1", "b");
      assert.deepEqual((await taskView(server, key, TaskId)).capture, ["0", "1111", "a", "b"]);

      // All or nothing: a user not in the room changes nobody.
      const mute = (Users: object[], RoomId = "m1") => gme.ModifyUserMicStatus({ BizId, RoomId, Users: Users as never });
      assert.equal(
        await code(
          mute([
            { StrUid: "a", EnableMic: 1 },
            { StrUid: "ghost", EnableMic: 1 },
          ]),
        ),
        "ResourceNotFound",
      );
      assert.deepEqual((await taskView(server, key, TaskId)).capture, ["0", "1111", "a", "b"]);
      assert.equal(await code(mute([{ StrUid: "a", EnableMic: 1 }], "empty")), "ResourceNotFound");
      assert.equal(await code(mute([{ StrUid: "a", EnableMic: 3 }])), "InvalidParameter");
      assert.equal(await code(mute([{ EnableMic: 1 }])), "InvalidParameter");
      assert.equal(await code(mute([{ Uid: 0, EnableMic: 1 }])), "InvalidParameter");
      assert.equal(await code(mute([])), "InvalidParameter");
      assert.equal(await code(mute([{ StrUid: "a" }])), "MissingParameter");
      assert.equal(
        await code(gme.ModifyUserMicStatus({ BizId: 999999999, RoomId: "m1", Users: [{ StrUid: "a", EnableMic: 1 }] })),
        "ResourceNotFound",
      );
    });

    test("ModifyAppStatus: a closed app shows AppStatus 1 and its recording actions answer ServiceNotOpened until reopened", async () => {
      const { BizId, room } = await recordingApp(server);
      await room.speak("s1", "a");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "s1", RecordMode: 1 });
      const status = async () =>
        (await gme.DescribeApplicationList({ ProjectId: -1, PageNo: 0, PageSize: 1000, SearchText: "" })).ApplicationList!.find(
          (a) => a.BizId === BizId,
        )!.AppStatus;
      assert.equal(await status(), 0);
      assert.deepEqual((await gme.ModifyAppStatus({ BizId, Status: "close" })).Data, { BizId, Status: "close" });
      assert.equal(await status(), 1);
      assert.equal(await code(gme.DescribeRecordInfo({ BizId, TaskId })), "UnsupportedOperation.ServiceNotOpened");
      assert.equal(await code(gme.StartRecord({ BizId, RoomId: "s2", RecordMode: 1 })), "UnsupportedOperation.ServiceNotOpened");
      // The ledger of who is in the room keeps answering.
      assert.deepEqual((await gme.DescribeRoomInfo({ SdkAppId: BizId, StrRoomIds: ["s1"] })).RoomUsers![0]!.StrUins, ["a"]);
      await gme.ModifyAppStatus({ BizId, Status: "open" });
      assert.equal(await status(), 0);
      assert.equal((await gme.DescribeRecordInfo({ BizId, TaskId })).RoomId, "s1");

      assert.equal(await code(gme.ModifyAppStatus({ BizId, Status: "paused" })), "InvalidParameter");
      assert.equal(await code(gme.ModifyAppStatus({ BizId: 999999999, Status: "open" })), "ResourceNotFound.BizidIsNotFound");
      assert.equal(await code(gme.ModifyAppStatus({ BizId } as never)), "MissingParameter");
    });

    test("CreateApp takes the documented example's request (SceneInfos with boolean Status) and echoes it", async () => {
      const SceneInfos = [
        { CallbackUrl: "http://xxx.xxxrealtimexxx.com", SceneId: "RealTime", Status: false },
        { CallbackUrl: "http://xxx.xxxvoicemessagexxx.com", SceneId: "VoiceMessage", Status: true },
        { SceneId: "GMECloudApi", Status: false },
      ];
      const created = await gme.CreateApp({
        AppName: "simple_gme_application",
        ProjectId: 0,
        EngineList: ["android"],
        RegionList: ["mainland"],
        RealtimeSpeechConf: { Status: "open", Quality: "high" },
        VoiceMessageConf: { Status: "open", Language: "all" },
        VoiceFilterConf: { Status: "close", SceneInfos },
        AsrConf: { Status: "close" },
        Tags: [{ TagKey: "tag_key_1", TagValue: "tag_value" }],
      });
      assert.deepEqual(created.Data!.VoiceFilterConf, { Status: "close", SceneInfos });
      assert.deepEqual(created.Data!.VoiceMessageConf, { Status: "open", Language: "all" });
      const scene = (s: object) => code(gme.CreateApp({ AppName: "x", VoiceFilterConf: { SceneInfos: [s as never] } }));
      assert.equal(await scene({ SceneId: "RealTime", Status: "open" }), "InvalidParameter");
      assert.equal(await scene({ SceneId: "RealTime" }), "MissingParameter");
      assert.equal(await scene({ Status: true }), "MissingParameter");
    });
  });
}
