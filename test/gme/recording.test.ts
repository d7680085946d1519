// GME recording through the official SDK's gme client: the seed's example answer, modes 1/2/3
// with users joining and leaving, allow/deny lists changed mid-task, status progression to
// 14, and TaskIds that survive a JavaScript round trip. The recorder is driven step by step
// through the agent protocol (AgentClient), as a recorder process would.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { beginWanted, gmeClient, recorderClient, recordingApp, statusesOf, taskView, type GmeClient } from "./gme-support.ts";

for (const backend of backends()) {
  describe(`GME recording (${backend})`, () => {
    let server: TestServer;
    let gme: GmeClient;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      gme = gmeClient(server);
    });
    after(() => server.stop());

    test("the seed's example: RoomId, RecordMode and a RecordInfo entry shaped like the cloud's", async () => {
      const { bizId, BizId, key, worker, room } = await recordingApp(server);
      await room.speak("7743", "6787");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "7743", RecordMode: 1 });
      const recorder = recorderClient(server, worker);
      const { task } = await recorder.claim("gme-record");
      assert.equal(task?.taskId, String(TaskId));
      assert.deepEqual(task?.spec, { bizId, roomId: "7743", taskId: TaskId });
      const before = Math.floor(Date.now() / 1000);
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["6787"]);

      const res = await gme.DescribeRecordInfo({ TaskId, BizId });
      assert.deepEqual(Object.keys(res), ["RoomId", "RecordMode", "RecordInfo", "RequestId"]);
      assert.equal(res.RoomId, "7743");
      assert.equal(res.RecordMode, 1);
      assert.equal(res.RecordInfo?.length, 1);
      const entry = res.RecordInfo![0]!;
      assert.deepEqual(Object.keys(entry), ["RecordStatus", "RecordBeginTime", "UserId", "FileName"]);
      assert.equal(entry.RecordStatus, 2);
      assert.equal(entry.UserId, "6787");
      // `/<BizId>_<RoomId>_<TaskId>_<UserId>`, as `/3400352518_2314_447947346201176660_9081`.
      assert.equal(entry.FileName, `/${bizId}_7743_${TaskId}_6787`);
      assert.ok(Number.isInteger(entry.RecordBeginTime) && Math.abs(entry.RecordBeginTime - before) <= 5, `begin ${entry.RecordBeginTime}`);
      assert.match(String(res.RequestId), /^[0-9a-f-]{36}$/);
    });

    test("mode 1: each user sending audio gets one entry when their recording begins; joins and leaves", async () => {
      const { BizId, key, worker, room } = await recordingApp(server);
      await room.speak("r1", "alice");
      await room.enter("r1", "bob"); // in the room, silent
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "r1", RecordMode: 1 });
      // No recorder yet: nothing is being recorded, and the answer says so.
      assert.deepEqual((await gme.DescribeRecordInfo({ TaskId, BizId })).RecordInfo, []);

      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["alice"]);
      await room.speak("r1", "carol");
      await room.speak("r1", "bob");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["bob", "carol"]);
      // Alice leaves and comes back: her stream continues the same entry.
      const aliceBegin = (await gme.DescribeRecordInfo({ TaskId, BizId })).RecordInfo!.find((r) => r.UserId === "alice")!.RecordBeginTime;
      await room.leave("r1", "alice");
      await room.speak("r1", "alice");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), []);
      // A user who only entered and left is never recorded.
      await room.enter("r1", "dave");
      await room.leave("r1", "dave");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), []);

      const info = await gme.DescribeRecordInfo({ TaskId, BizId });
      assert.deepEqual(statusesOf(info), { alice: 2, bob: 2, carol: 2 });
      assert.equal(info.RecordInfo!.find((r) => r.UserId === "alice")!.RecordBeginTime, aliceBegin);
    });

    test('mode 2: one entry, the mixed stream, with UserId "0"', async () => {
      const { bizId, BizId, key, worker, room } = await recordingApp(server);
      await room.speak("r2", "u1", "u2");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "r2", RecordMode: 2 });
      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["0"]);
      await room.speak("r2", "u3");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), []);
      // A recorder reporting a single stream in mode 2 does not create one.
      await recorder.report(String(TaskId), [{ type: "stream.began", data: { userId: "u1" } }]);
      const info = await gme.DescribeRecordInfo({ TaskId, BizId });
      assert.equal(info.RecordMode, 2);
      assert.deepEqual(
        info.RecordInfo!.map((r) => [r.UserId, r.FileName]),
        [["0", `/${bizId}_r2_${TaskId}_0`]],
      );
    });

    test("mode 3: the mix and every speaker, joining and leaving", async () => {
      const { BizId, key, worker, room } = await recordingApp(server);
      await room.speak("r3", "a", "b");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "r3", RecordMode: 3 });
      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["0", "a", "b"]);
      await room.leave("r3", "a");
      await room.speak("r3", "c");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["c"]);
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { "0": 2, a: 2, b: 2, c: 2 });
    });

    test("allow- and deny-lists, changed mid-task by ModifyRecordInfo", async () => {
      const { BizId, key, worker, room } = await recordingApp(server);
      await room.speak("r4", "a", "b", "c");
      const { TaskId } = await gme.StartRecord({
        BizId,
        RoomId: "r4",
        RecordMode: 1,
        SubscribeRecordUserIds: { SubscribeUserIds: ["a", "x"] },
      });
      assert.deepEqual(
        await gme.DescribeTaskInfo({ BizId, RoomId: "r4" }).then((r) => [r.TaskId, r.RecordMode, r.SubscribeRecordUserIds]),
        [TaskId, 1, { SubscribeUserIds: ["a", "x"], UnSubscribeUserIds: [] }],
      );
      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["a"]);
      // A begin for a user the allow-list leaves out is not recorded.
      await recorder.report(String(TaskId), [{ type: "stream.began", data: { userId: "b" } }]);
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { a: 2 });

      // Switch to a deny-list: b is denied, c is now wanted; a keeps the entry already begun.
      await gme.ModifyRecordInfo({ TaskId, BizId, RecordMode: 1, SubscribeRecordUserIds: { UnSubscribeUserIds: ["a", "b"] } });
      assert.deepEqual((await gme.DescribeTaskInfo({ BizId, RoomId: "r4" })).SubscribeRecordUserIds, {
        SubscribeUserIds: [],
        UnSubscribeUserIds: ["a", "b"],
      });
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["c"]);
      await room.speak("r4", "d");
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["d"]);

      // Changing only the mode keeps the list; the mix now begins.
      await gme.ModifyRecordInfo({ TaskId, BizId, RecordMode: 3 });
      const info = await gme.DescribeTaskInfo({ BizId, RoomId: "r4" });
      assert.equal(info.RecordMode, 3);
      assert.deepEqual(info.SubscribeRecordUserIds, { SubscribeUserIds: [], UnSubscribeUserIds: ["a", "b"] });
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["0"]);

      // Lists travel flattened in TC3 GET and v1 form requests too.
      await gmeClient(server, { reqMethod: "GET" }).ModifyRecordInfo({
        TaskId,
        BizId,
        RecordMode: 3,
        SubscribeRecordUserIds: { UnSubscribeUserIds: ["b", "a"] },
      });
      const v1 = gmeClient(server, { signMethod: "HmacSHA1" });
      assert.deepEqual((await v1.DescribeTaskInfo({ BizId, RoomId: "r4" })).SubscribeRecordUserIds, {
        SubscribeUserIds: [],
        UnSubscribeUserIds: ["b", "a"],
      });
      // An empty list records everyone again: b begins.
      await gme.ModifyRecordInfo({ TaskId, BizId, RecordMode: 3, SubscribeRecordUserIds: { UnSubscribeUserIds: [] } });
      assert.deepEqual((await gme.DescribeTaskInfo({ BizId, RoomId: "r4" })).SubscribeRecordUserIds, {
        SubscribeUserIds: [],
        UnSubscribeUserIds: [],
      });
      assert.deepEqual(await beginWanted(server, key, recorder, TaskId), ["b"]);
      const final = await gme.DescribeRecordInfo({ TaskId, BizId });
      assert.equal(final.RecordMode, 3);
      assert.deepEqual(statusesOf(final), { "0": 2, a: 2, b: 2, c: 2, d: 2 });
    });

    test("after StopRecord each entry advances 10 → 11 → 12 → 13 → 14 as the recorder reports", async () => {
      const { BizId, key, worker, room } = await recordingApp(server);
      await room.speak("r5", "a", "b");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "r5", RecordMode: 3 });
      const recorder = recorderClient(server, worker);
      await recorder.claim("gme-record");
      await beginWanted(server, key, recorder, TaskId);
      const id = String(TaskId);
      // Still recording: a stream cannot leave 2.
      const early = await recorder.report(id, [{ type: "stream.status", data: { userId: "a", status: 10 } }]).catch((e) => e);
      assert.equal(early.status, 409);
      assert.equal(early.code, "StillRecording");
      assert.equal((await recorder.heartbeat(id)).stop, false);

      await gme.StopRecord({ TaskId, BizId });
      assert.equal((await recorder.heartbeat(id)).stop, true);
      // The room is free for a new task while this one's files are processed.
      assert.equal((await sdkError(gme.DescribeTaskInfo({ BizId, RoomId: "r5" }))).code, "ResourceNotFound.RoomNotFound");
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { "0": 2, a: 2, b: 2 });
      // Nothing begins after the stop.
      await room.speak("r5", "late");
      assert.deepEqual((await taskView(server, key, TaskId)).toBegin, []);

      for (const status of [10, 11, 12, 13, 14]) {
        await recorder.report(
          id,
          ["0", "a"].map((userId) => ({ type: "stream.status", data: { userId, status } })),
        );
        if (status <= 12) await recorder.report(id, [{ type: "stream.status", data: { userId: "b", status } }]);
        const expected = { "0": status, a: status, b: Math.min(status, 12) };
        assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), expected);
      }
      // Backwards is refused, whole batch: b stays at 12.
      const back = await recorder
        .report(id, [
          { type: "stream.status", data: { userId: "b", status: 13 } },
          { type: "stream.status", data: { userId: "a", status: 12 } },
        ])
        .catch((e) => e);
      assert.equal(back.code, "StatusBackwards");
      assert.equal(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })).b, 12);
      // A stream that never began is refused; a repeated status is harmless.
      assert.equal(
        (await recorder.report(id, [{ type: "stream.status", data: { userId: "zz", status: 13 } }]).catch((e) => e)).code,
        "UnknownStream",
      );
      await recorder.report(id, [{ type: "stream.status", data: { userId: "a", status: 14 } }]);
      await recorder.report(id, [{ type: "stream.status", data: { userId: "b", status: 14 } }]); // skipping 13 is allowed
      await recorder.report(id, [{ type: "task.finished", data: {} }]);
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { "0": 14, a: 14, b: 14 });
      // The recorder's task is over: its lease is gone.
      assert.equal((await recorder.heartbeat(id).catch((e) => e)).status, 409);
      assert.equal((await sdkError(gme.StopRecord({ TaskId, BizId }))).code, "ResourceNotFound.TaskNotFound");
    });

    test("TaskIds are integers below 2^53 that survive a JavaScript round trip unchanged", async () => {
      const { BizId, room } = await recordingApp(server);
      const ids: number[] = [];
      for (let i = 0; i < 12; i++) {
        const roomId = `rt${i}`;
        await room.enter(roomId, "u");
        const { TaskId } = await gme.StartRecord({ BizId, RoomId: roomId, RecordMode: 2 });
        assert.ok(Number.isSafeInteger(TaskId) && TaskId >= 1e15, `TaskId ${TaskId}`);
        assert.equal(JSON.parse(JSON.stringify({ TaskId })).TaskId, TaskId);
        assert.equal((await gme.DescribeTaskInfo({ BizId, RoomId: roomId })).TaskId, TaskId);
        assert.equal((await gme.DescribeRecordInfo({ TaskId, BizId })).RoomId, roomId);
        // As a BigInt too (the SDK serialises requests with json-bigint).
        assert.equal((await gme.DescribeRecordInfo({ TaskId: BigInt(TaskId) as unknown as number, BizId })).RoomId, roomId);
        // And as a numeric string, as the v1 form sends it.
        const v1 = gmeClient(server, { signMethod: "HmacSHA256" });
        assert.equal((await v1.DescribeRecordInfo({ TaskId, BizId })).RoomId, roomId);
        ids.push(TaskId);
      }
      assert.equal(new Set(ids).size, ids.length);
      // The cloud's own TaskIds are above 2^53: they cannot be ours.
      const cloud = await sdkError(gme.DescribeRecordInfo({ TaskId: 446192236330927912n as unknown as number, BizId }));
      assert.equal(cloud.code, "InvalidParameterValue.InvalidTaskId");
    });
  });
}
