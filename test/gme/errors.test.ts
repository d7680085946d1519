// Every documented error of the GME recording actions, CreateApp / DescribeApplicationList,
// and the recording switch (not opened by default, opened and closed by the admin route).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { gmeClient, recordingApp, setRecording, type GmeClient } from "./gme-support.ts";

const code = async (p: Promise<unknown>) => (await sdkError(p)).code;

for (const backend of backends()) {
  describe(`GME errors (${backend})`, () => {
    let server: TestServer;
    let gme: GmeClient;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      gme = gmeClient(server);
    });
    after(() => server.stop());

    test("recording is not opened by default: UnsupportedOperation.ServiceNotOpened until the switch is on", async () => {
      const bizId = await server.createApp(["gme"]);
      const BizId = Number(bizId);
      const key = await server.ingestKey(bizId);
      const err = await sdkError(gme.StartRecord({ BizId, RoomId: "r", RecordMode: 1 }));
      assert.equal(err.code, "UnsupportedOperation.ServiceNotOpened");
      assert.equal(err.message, "The recording service is not activated.");
      assert.equal(await code(gme.DescribeRecordInfo({ BizId, TaskId: 1234567890123456 })), "UnsupportedOperation.ServiceNotOpened");
      assert.equal(await code(gme.DescribeTaskInfo({ BizId, RoomId: "r" })), "UnsupportedOperation.ServiceNotOpened");
      assert.equal(await code(gme.StopRecord({ BizId, TaskId: 1234567890123456 })), "UnsupportedOperation.ServiceNotOpened");
      assert.equal(
        await code(gme.ModifyRecordInfo({ BizId, TaskId: 1234567890123456, RecordMode: 1 })),
        "UnsupportedOperation.ServiceNotOpened",
      );
      assert.deepEqual(await server.admin("GET", `/gme/apps/${bizId}/recording`), { bizId, opened: false, emptyRoomStopSeconds: 60 });

      await setRecording(server, bizId, { opened: true });
      await fetch(`${server.url}/ingest/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify([{ id: "e1", type: "gme.user.entered", ctime: Date.now(), data: { roomId: "r", userId: "u" } }]),
      });
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "r", RecordMode: 1 });
      assert.equal((await gme.DescribeRecordInfo({ BizId, TaskId })).RoomId, "r");

      await setRecording(server, bizId, { opened: false });
      assert.equal(await code(gme.DescribeRecordInfo({ BizId, TaskId })), "UnsupportedOperation.ServiceNotOpened");
      const zh = await sdkError(gmeClient(server, { language: "zh-CN" }).DescribeRecordInfo({ BizId, TaskId }));
      assert.equal(zh.message, "录制服务未开通。");
    });

    test("InvalidParameterValue.InvalidBizId: unknown, not GME, another account's, out of range", async () => {
      const lcicOnly = Number(await server.createApp(["lcic"]));
      const other = await server.admin<{ accountId: string }>("POST", "/accounts", { name: "someone else" });
      const foreign = (await server.admin<{ appId: string }>("POST", "/apps", { products: ["gme"], accountId: other.accountId })).appId;
      await setRecording(server, foreign, { opened: true });
      for (const BizId of [999999999, lcicOnly, Number(foreign), 0, -5, 2 ** 60]) {
        assert.equal(
          await code(gme.DescribeRecordInfo({ BizId, TaskId: 1234567890123456 })),
          "InvalidParameterValue.InvalidBizId",
          `BizId ${BizId}`,
        );
        assert.equal(await code(gme.StartRecord({ BizId, RoomId: "r", RecordMode: 1 })), "InvalidParameterValue.InvalidBizId");
      }
      const typeErr = await sdkError(gme.DescribeRecordInfo({ BizId: "abc" as unknown as number, TaskId: 1234567890123456 }));
      assert.equal(typeErr.code, "InvalidParameter");
      assert.equal(typeErr.message, "Parameter `BizId` type error.");
    });

    test("TaskId: InvalidTaskId for ids that cannot be ours, TaskNotFound for unknown ones", async () => {
      const { BizId, room } = await recordingApp(server);
      // biome-ignore lint/correctness/noPrecisionLoss: a TaskId past 2^53 is what this case sends, rounded as a client's JSON would.
      for (const TaskId of [0, 5, -1, 999999999999999, 2 ** 53, 446192236330927912]) {
        for (const call of [
          () => gme.DescribeRecordInfo({ BizId, TaskId }),
          () => gme.StopRecord({ BizId, TaskId }),
          () => gme.ModifyRecordInfo({ BizId, TaskId, RecordMode: 1 }),
        ]) {
          const err = await sdkError(call());
          assert.equal(err.code, "InvalidParameterValue.InvalidTaskId", `TaskId ${TaskId}`);
          assert.equal(err.message, "Invalid taskid.");
        }
      }
      assert.equal(await code(gme.DescribeRecordInfo({ BizId, TaskId: 1.5 })), "InvalidParameter");
      assert.equal(await code(gme.DescribeRecordInfo({ BizId, TaskId: "x1" as unknown as number })), "InvalidParameter");
      const missing = await sdkError(gme.DescribeRecordInfo({ BizId, TaskId: 1234567890123456 }));
      assert.equal(missing.code, "ResourceNotFound.TaskNotFound");
      assert.equal(missing.message, "The task ID does not exist.");
      assert.equal(await code(gme.StopRecord({ BizId, TaskId: 1234567890123456 })), "ResourceNotFound.TaskNotFound");
      assert.equal(await code(gme.ModifyRecordInfo({ BizId, TaskId: 1234567890123456, RecordMode: 2 })), "ResourceNotFound.TaskNotFound");
      // A task of another of my apps is not found through this one.
      const mine = await recordingApp(server);
      await room.enter("x", "u");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "x", RecordMode: 1 });
      assert.equal(await code(gme.DescribeRecordInfo({ BizId: mine.BizId, TaskId })), "ResourceNotFound.TaskNotFound");
    });

    test("missing and unknown parameters are the gateway's", async () => {
      const { BizId } = await recordingApp(server);
      const missing = await sdkError(gme.StartRecord({ BizId, RecordMode: 1 } as never));
      assert.equal(missing.code, "MissingParameter");
      assert.equal(missing.message, "The request is missing a required parameter `RoomId`.");
      assert.equal(await code(gme.DescribeRecordInfo({ BizId } as never)), "MissingParameter");
      assert.equal(await code(gme.StopRecord({ TaskId: 1234567890123456 } as never)), "MissingParameter");
      assert.equal(await code(gme.DescribeRecordInfo({ BizId, TaskId: 1234567890123456, Extra: 1 } as never)), "UnknownParameter");
      assert.equal(await code(gme.StartRecord({ BizId, RoomId: 5 as never, RecordMode: 1 })), "InvalidParameter");
      assert.equal(
        await code(gme.StartRecord({ BizId, RoomId: "r", RecordMode: 1, SubscribeRecordUserIds: { SubscribeUserIds: "a" as never } })),
        "InvalidParameter",
      );
    });

    test("StartRecord: room, mode and list errors; one task per room", async () => {
      const { BizId, room } = await recordingApp(server);
      await room.enter("s1", "u");
      for (const RoomId of ["", "a/b", "x".repeat(128), "with space", "é"]) {
        assert.equal(
          await code(gme.StartRecord({ BizId, RoomId, RecordMode: 1 })),
          "InvalidParameterValue.InvalidRoomId",
          JSON.stringify(RoomId),
        );
      }
      for (const RecordMode of [0, 4, -1]) {
        assert.equal(await code(gme.StartRecord({ BizId, RoomId: "s1", RecordMode })), "InvalidParameterValue.InvalidRecordMode");
      }
      const list = (SubscribeRecordUserIds: object) =>
        code(gme.StartRecord({ BizId, RoomId: "s1", RecordMode: 1, SubscribeRecordUserIds }));
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i}`);
      assert.equal(
        await list({ SubscribeUserIds: ["a"], UnSubscribeUserIds: ["b"] }),
        "InvalidParameterValue.InvalidSubscribeRecordUserIds",
      );
      assert.equal(await list({ SubscribeUserIds: ["ok", ""] }), "InvalidParameterValue.InvalidSubscribeRecordUserIds");
      assert.equal(await list({ SubscribeUserIds: ids(21) }), "InvalidParameterValue.InvalidSubscribeUserIds");
      assert.equal(await list({ UnSubscribeUserIds: ids(21) }), "InvalidParameterValue.InvalidUNSubscribeUserIds");
      // Nobody in the room: it does not exist.
      const noRoom = await sdkError(gme.StartRecord({ BizId, RoomId: "empty", RecordMode: 1 }));
      assert.equal(noRoom.code, "ResourceNotFound.RoomNotFound");
      assert.equal(noRoom.message, "The room does not exist.");

      const { TaskId } = await gme.StartRecord({
        BizId,
        RoomId: "s1",
        RecordMode: 1,
        SubscribeRecordUserIds: { SubscribeUserIds: ids(20) },
      });
      const inUse = await sdkError(gme.StartRecord({ BizId, RoomId: "s1", RecordMode: 2 }));
      assert.equal(inUse.code, "ResourceInUse.TaskInUse");
      assert.equal(inUse.message, "The task already exists.");
      await gme.StopRecord({ BizId, TaskId });
      // Stopped: the room takes a new task, and the old one cannot be stopped or modified again.
      const second = await gme.StartRecord({ BizId, RoomId: "s1", RecordMode: 2 });
      assert.notEqual(second.TaskId, TaskId);
      assert.equal(await code(gme.StopRecord({ BizId, TaskId })), "ResourceNotFound.TaskNotFound");
      assert.equal(await code(gme.ModifyRecordInfo({ BizId, TaskId, RecordMode: 1 })), "ResourceNotFound.TaskNotFound");
      // A task stopped before any recorder took it is over, with nothing recorded.
      assert.deepEqual((await gme.DescribeRecordInfo({ BizId, TaskId })).RecordInfo, []);
    });

    test("ModifyRecordInfo: mode and list errors on a running task", async () => {
      const { BizId, room } = await recordingApp(server);
      await room.enter("m1", "u");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "m1", RecordMode: 1 });
      assert.equal(await code(gme.ModifyRecordInfo({ BizId, TaskId, RecordMode: 7 })), "InvalidParameterValue.InvalidRecordMode");
      const m = (SubscribeRecordUserIds: object) => code(gme.ModifyRecordInfo({ BizId, TaskId, RecordMode: 1, SubscribeRecordUserIds }));
      assert.equal(await m({ SubscribeUserIds: ["a"], UnSubscribeUserIds: ["b"] }), "InvalidParameterValue.InvalidSubscribeRecordUserIds");
      assert.equal(
        await m({ SubscribeUserIds: Array.from({ length: 21 }, (_, i) => `${i}x`) }),
        "InvalidParameterValue.InvalidSubscribeUserIds",
      );
      assert.equal(
        await m({ UnSubscribeUserIds: Array.from({ length: 21 }, (_, i) => `${i}x`) }),
        "InvalidParameterValue.InvalidUNSubscribeUserIds",
      );
      // Nothing changed by the refused calls.
      const info = await gme.DescribeTaskInfo({ BizId, RoomId: "m1" });
      assert.deepEqual(
        [info.TaskId, info.RecordMode, info.SubscribeRecordUserIds],
        [TaskId, 1, { SubscribeUserIds: [], UnSubscribeUserIds: [] }],
      );
    });

    test("DescribeTaskInfo: InvalidRoomId; RoomNotFound for a room without a recording task, occupied or not (never nulls)", async () => {
      const { BizId, room } = await recordingApp(server);
      assert.equal(await code(gme.DescribeTaskInfo({ BizId, RoomId: "" })), "InvalidParameterValue.InvalidRoomId");
      assert.equal(await code(gme.DescribeTaskInfo({ BizId, RoomId: "nobody" })), "ResourceNotFound.RoomNotFound");
      await room.enter("d1", "u");
      // The SDK's model allows none of TaskId, RecordMode, SubscribeRecordUserIds to be null.
      assert.equal(await code(gme.DescribeTaskInfo({ BizId, RoomId: "d1" })), "ResourceNotFound.RoomNotFound");
    });

    test("CreateApp answers the new BizId; DescribeApplicationList pages, searches and shows the recording switch", async () => {
      const created = await gme.CreateApp({
        AppName: "Voice Alpha",
        ProjectId: 7,
        RealtimeSpeechConf: { Status: "open", Quality: "ordinary" },
      });
      const d = created.Data!;
      assert.ok(Number.isSafeInteger(d.BizId));
      assert.equal(d.AppName, "Voice Alpha");
      assert.equal(d.ProjectId, 7);
      assert.match(String(d.SecretKey), /^[A-Za-z0-9]{16}$/);
      assert.deepEqual(d.RealtimeSpeechConf, { Status: "open", Quality: "ordinary" });
      assert.ok(Math.abs(d.CreateTime! - Date.now() / 1000) < 60);
      await gme.CreateApp({ AppName: "voice beta", VoiceMessageConf: { Status: "close" } });
      await gme.CreateApp({ AppName: "Other" });
      // Created through the API, not opened for recording either.
      assert.equal(await code(gme.DescribeTaskInfo({ BizId: d.BizId!, RoomId: "r" })), "UnsupportedOperation.ServiceNotOpened");
      await setRecording(server, String(d.BizId), { opened: true });

      const all = await gme.DescribeApplicationList({ ProjectId: -1, PageNo: 0, PageSize: 200, SearchText: "voice" });
      const names = all.ApplicationList!.map((a) => a.AppName);
      assert.ok(names.includes("Voice Alpha") && names.includes("voice beta") && !names.includes("Other"));
      const alpha = all.ApplicationList!.find((a) => a.BizId === d.BizId)!;
      assert.deepEqual(alpha, {
        ServiceConf: {
          RealTimeSpeech: { Status: 0 },
          VoiceMessage: { Status: 0 },
          Porn: { Status: 0 },
          Live: { Status: 0 },
          RealTimeAsr: { Status: 0 },
          TextTranslate: { Status: 1 },
        },
        BizId: d.BizId,
        AppName: "Voice Alpha",
        ProjectId: 7,
        AppStatus: 0,
        CreateTime: d.CreateTime,
        AppType: 0,
      });
      const beta = all.ApplicationList!.find((a) => a.AppName === "voice beta")!;
      assert.equal(beta.ServiceConf!.VoiceMessage!.Status, 1);
      assert.equal(beta.ServiceConf!.Live!.Status, 1);

      const project7 = await gme.DescribeApplicationList({ ProjectId: 7, PageNo: 0, PageSize: 10, SearchText: "" });
      assert.deepEqual(
        project7.ApplicationList!.map((a) => a.AppName),
        ["Voice Alpha"],
      );
      const everything = await gme.DescribeApplicationList({ ProjectId: -1, PageNo: 0, PageSize: 200, SearchText: "" });
      const page1 = await gme.DescribeApplicationList({ ProjectId: -1, PageNo: 1, PageSize: 2, SearchText: "" });
      assert.equal(page1.Total, everything.Total);
      assert.deepEqual(
        page1.ApplicationList!.map((a) => a.BizId),
        everything.ApplicationList!.slice(2, 4).map((a) => a.BizId),
      );
      const byFilter = await gme.DescribeApplicationList({
        ProjectId: -1,
        PageNo: 0,
        PageSize: 10,
        SearchText: "",
        Filters: [{ Name: "AppName", Values: ["beta"] }],
      });
      assert.deepEqual(
        byFilter.ApplicationList!.map((a) => a.AppName),
        ["voice beta"],
      );
      assert.equal(
        await code(gme.DescribeApplicationList({ ProjectId: -1, PageNo: 0, PageSize: 10, SearchText: "", Filters: [{ Name: "Nope" }] })),
        "InvalidParameterValue",
      );
      assert.equal(await code(gme.DescribeApplicationList({ ProjectId: -1, PageNo: 0, PageSize: 10 } as never)), "MissingParameter");
      assert.equal(await code(gme.CreateApp({} as never)), "MissingParameter");
      assert.equal(await code(gme.CreateApp({ AppName: "x", RealtimeSpeechConf: { Status: "maybe" } })), "InvalidParameterValue");
    });
  });
}
