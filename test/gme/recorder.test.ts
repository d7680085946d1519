// The recorder side: crashes resolved by lease expiry, the simulated recorder run as
// `roomledger worker simulate --kind gme-record`, and the stop when a room stays empty.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { BIN, startServer, type TestServer } from "../support/server.ts";
import { describeBackendsSideBySide } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import {
  beginWanted,
  eventually,
  gmeClient,
  recorderClient,
  recordingApp,
  setRecording,
  statusesOf,
  type GmeClient,
} from "./gme-support.ts";

const LEASE_MS = 1500;

function simulate(server: TestServer, credential: string, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  const proc = spawn(
    process.execPath,
    [
      BIN,
      "worker",
      "simulate",
      "--kind",
      "gme-record",
      "--once",
      "--url",
      server.url,
      "--credential",
      credential,
      "--start-delay",
      "0",
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (out += d));
  return new Promise((resolve) => proc.once("exit", (code) => resolve({ code, out })));
}

describeBackendsSideBySide("GME recorder", (backend) => {
  let server: TestServer;
  let gme: GmeClient;
  before(async () => {
    server = await startServer({
      backend,
      args: ["--rate-limit", "0"],
      env: { ROOMLEDGER_AGENT_LEASE_MS: String(LEASE_MS), ROOMLEDGER_AGENT_SWEEP_MS: "100" },
    });
    gme = gmeClient(server);
  });
  after(() => server.stop());

  test("a recorder that dies while recording: the lease expires and another recorder continues the task", async () => {
    const { BizId, key, worker, room } = await recordingApp(server);
    await room.speak("c1", "alice");
    const { TaskId } = await gme.StartRecord({ BizId, RoomId: "c1", RecordMode: 1 });
    const first = recorderClient(server, worker, "first");
    assert.equal((await first.claim("gme-record")).task?.attempt, 1);
    await beginWanted(server, key, first, TaskId);
    const begun = (await gme.DescribeRecordInfo({ TaskId, BizId })).RecordInfo![0]!;
    // The first recorder stops heartbeating. Until the lease runs out nobody else gets it.
    const second = recorderClient(server, worker, "second");
    const { task } = await eventually(async () => {
      const c = await second.claim("gme-record");
      return c.task ? c : null;
    }, "the task back in the queue");
    assert.equal(task!.attempt, 2);
    assert.equal((await first.report(String(TaskId), [{ type: "stream.began", data: { userId: "x" } }]).catch((e) => e)).code, "LeaseLost");
    // What was recorded stays, with its begin time; the new recorder adds who speaks now.
    assert.deepEqual((await gme.DescribeRecordInfo({ TaskId, BizId })).RecordInfo, [begun]);
    await room.speak("c1", "bob");
    assert.deepEqual(await beginWanted(server, key, second, TaskId), ["bob"]);
    await gme.StopRecord({ TaskId, BizId });
    assert.equal((await second.heartbeat(String(TaskId))).stop, true);
    for (const status of [10, 11, 12, 13, 14]) {
      await second.report(
        String(TaskId),
        ["alice", "bob"].map((userId) => ({ type: "stream.status", data: { userId, status } })),
      );
    }
    await second.report(String(TaskId), [{ type: "task.finished", data: {} }]);
    assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { alice: 14, bob: 14 });
  });

  test("a recorder that dies while transcoding: the task is lost, its streams keep the last reported status", async () => {
    const { BizId, key, worker, room } = await recordingApp(server);
    await room.speak("c2", "a", "b");
    const { TaskId } = await gme.StartRecord({ BizId, RoomId: "c2", RecordMode: 3 });
    const recorder = recorderClient(server, worker);
    await recorder.claim("gme-record");
    await beginWanted(server, key, recorder, TaskId);
    await gme.StopRecord({ TaskId, BizId });
    await recorder.report(
      String(TaskId),
      ["0", "a", "b"].map((userId) => ({ type: "stream.status", data: { userId, status: 10 } })),
    );
    await recorder.report(String(TaskId), [{ type: "stream.status", data: { userId: "a", status: 11 } }]);
    // It dies. A stopped task is not handed to another recorder: the expiry ends it.
    // (Probed with a repeated report: a heartbeat would extend the lease.)
    const probe = () => recorder.report(String(TaskId), [{ type: "stream.status", data: { userId: "a", status: 11 } }]);
    await eventually(async () => (await probe().catch((e) => e)).code === "LeaseLost", "lease expiry", 20_000);
    assert.equal((await recorderClient(server, worker).claim("gme-record")).task, null);
    assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { "0": 10, a: 11, b: 10 });
    // The room is free again.
    const next = await gme.StartRecord({ BizId, RoomId: "c2", RecordMode: 1 });
    assert.notEqual(next.TaskId, TaskId);
  });

  test("a task whose recorders keep dying is given up after 3 attempts and frees its room", async () => {
    const { BizId, key, worker, room } = await recordingApp(server);
    await room.speak("c3", "a");
    const { TaskId } = await gme.StartRecord({ BizId, RoomId: "c3", RecordMode: 1 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const r = recorderClient(server, worker, `r${attempt}`);
      const { task } = await eventually(async () => {
        const c = await r.claim("gme-record");
        return c.task ? c : null;
      }, `claim ${attempt}`);
      assert.equal(task!.attempt, attempt);
      if (attempt === 1) await beginWanted(server, key, r, TaskId);
    }
    // The third lease runs out too: the task is over.
    await eventually(
      async () =>
        (await sdkError(gme.DescribeTaskInfo({ BizId, RoomId: "c3" })).catch(() => null))?.code === "ResourceNotFound.RoomNotFound",
      "the task given up",
      20_000,
    );
    assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { a: 2 });
    assert.equal((await sdkError(gme.StopRecord({ TaskId, BizId }))).code, "ResourceNotFound.TaskNotFound");
    await gme.StartRecord({ BizId, RoomId: "c3", RecordMode: 1 });
  });

  test("the simulated recorder: a crash, then a recorder that records mode 3, honours server mutes, and walks every stream to 14", async () => {
    const { BizId, worker, room } = await recordingApp(server);
    await room.speak("s1", "a", "b");
    const { TaskId } = await gme.StartRecord({ BizId, RoomId: "s1", RecordMode: 3 });
    // The first simulated recorder crashes on its first heartbeat (failure rate 1).
    const crashed = await simulate(server, worker, ["--failure-rate", "1"]);
    assert.equal(crashed.code, 0, crashed.out);
    assert.match(crashed.out, /\[simulated gme-record worker\] task \d+: simulated crash/);

    const run = simulate(server, worker);
    await eventually(async () => {
      const s = statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId }));
      return s["0"] === 2 && s.a === 2 && s.b === 2;
    }, "the streams to begin");
    // The server mutes b (begun: the recorder pauses it) and m before m speaks (never begun).
    await room.enter("s1", "m");
    await gme.ModifyUserMicStatus({
      BizId,
      RoomId: "s1",
      Users: [
        { StrUid: "b", EnableMic: 1 },
        { StrUid: "m", EnableMic: 1 },
      ],
    });
    await room.speak("s1", "m", "c");
    await eventually(async () => statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })).c === 2, "c to begin");
    await gme.StopRecord({ TaskId, BizId });
    const done = await run;
    assert.equal(done.code, 0, done.out);
    assert.match(done.out, new RegExp(`claimed task ${TaskId} \\(attempt 2\\)`));
    assert.match(done.out, new RegExp(`task ${TaskId}: paused b`));
    assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId })), { "0": 14, a: 14, b: 14, c: 14 });
  });

  test("a task stopped before any recorder took it is over with nothing recorded", async () => {
    const { BizId, worker, room } = await recordingApp(server);
    await room.speak("q1", "a");
    const { TaskId } = await gme.StartRecord({ BizId, RoomId: "q1", RecordMode: 3 });
    await gme.StopRecord({ TaskId, BizId });
    assert.equal((await recorderClient(server, worker).claim("gme-record")).task, null);
    assert.deepEqual((await gme.DescribeRecordInfo({ TaskId, BizId })).RecordInfo, []);
  });

  test("when the room stays empty the recording stops after the app's delay (default 60 s; configurable; off)", async () => {
    const running = async (BizId: number, roomId: string) =>
      (
        await gme.DescribeTaskInfo({ BizId, RoomId: roomId }).catch((e) => {
          if (e.code === "ResourceNotFound.RoomNotFound") return { TaskId: null };
          throw e;
        })
      ).TaskId ?? null;

    // Default: 60 s.
    const d = await recordingApp(server);
    await d.room.speak("e0", "a");
    const t0 = await gme.StartRecord({ BizId: d.BizId, RoomId: "e0", RecordMode: 1 });
    await d.room.leave("e0", "a");
    await server.advance(59);
    assert.equal(await running(d.BizId, "e0"), t0.TaskId);
    await server.advance(2);
    assert.equal(await running(d.BizId, "e0"), null);
    assert.equal((await sdkError(gme.DescribeTaskInfo({ BizId: d.BizId, RoomId: "e0" }))).code, "ResourceNotFound.RoomNotFound");

    // 30 s, with a recorder that learns the stop on its heartbeat; a return keeps it going.
    const c = await recordingApp(server, { emptyRoomStopSeconds: 30 });
    await c.room.speak("e1", "a", "b");
    const { TaskId } = await gme.StartRecord({ BizId: c.BizId, RoomId: "e1", RecordMode: 1 });
    const recorder = recorderClient(server, c.worker);
    await recorder.claim("gme-record");
    await beginWanted(server, c.key, recorder, TaskId);
    await c.room.leave("e1", "a", "b");
    await server.advance(10);
    await c.room.enter("e1", "a");
    await server.advance(60);
    assert.equal(await running(c.BizId, "e1"), TaskId);
    assert.equal((await recorder.heartbeat(String(TaskId))).stop, false);
    await c.room.leave("e1", "a");
    await server.advance(29);
    assert.equal(await running(c.BizId, "e1"), TaskId);
    await server.advance(2);
    assert.equal(await running(c.BizId, "e1"), null);
    assert.equal((await recorder.heartbeat(String(TaskId))).stop, true);
    assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId: c.BizId })), { a: 2, b: 2 });

    // A delay changed while the room is empty is honoured when the first check comes due.
    const l = await recordingApp(server, { emptyRoomStopSeconds: 30 });
    await l.room.speak("e3", "a");
    const t3 = await gme.StartRecord({ BizId: l.BizId, RoomId: "e3", RecordMode: 1 });
    await l.room.leave("e3", "a");
    await setRecording(server, l.bizId, { emptyRoomStopSeconds: 100 });
    await server.advance(31);
    assert.equal(await running(l.BizId, "e3"), t3.TaskId);
    await server.advance(70);
    assert.equal(await running(l.BizId, "e3"), null);

    // null: only StopRecord ends it.
    const n = await recordingApp(server, { emptyRoomStopSeconds: null });
    assert.equal((await server.admin("GET", `/gme/apps/${n.bizId}/recording`)).emptyRoomStopSeconds, null);
    await n.room.speak("e2", "a");
    const t2 = await gme.StartRecord({ BizId: n.BizId, RoomId: "e2", RecordMode: 2 });
    await n.room.leave("e2", "a");
    await server.advance(3600);
    assert.equal(await running(n.BizId, "e2"), t2.TaskId);
  });
});
