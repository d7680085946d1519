// Online recording through the official SDK, on both backends: the state machine driven by
// a worker over the agent protocol (by hand, and by the simulated recorder), pause and
// resume, the auto and forced stops on the development clock, failures, the callbacks, and
// DescribeRunningTasks over pushes and recordings.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash } from "node:crypto";
import { startServer, type TestServer } from "../support/server.ts";
import { describeBackendsSideBySide } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { ingest, pushUser, tiwApp, tiwClient, validSig, waitFor, worker, type TiwClient } from "./helpers.ts";
import { tiwRecordSimulator } from "../../src/products/tiw/record-simulator.ts";

const LEASE_MS = 3000;
const md5 = (s: string) => createHash("md5").update(s).digest("hex");

let users = 0;
const recordUser = (room: number) => `tic_record_user_${room}_${process.pid}_${++users}`;

interface Delivery {
  Timestamp: number;
  ExpireTime: number;
  SdkAppId: number;
  Sign: string;
  EventType: string;
  EventData: Record<string, any>;
}

/** A callback receiver on a loopback port: keeps every delivery. */
async function receiver() {
  const got: Delivery[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      got.push(JSON.parse(raw));
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/cb`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describeBackendsSideBySide("TIW online recording", (backend) => {
  let server: TestServer;
  let c: TiwClient;
  let rx: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    server = await startServer({
      backend,
      env: { ROOMLEDGER_AGENT_LEASE_MS: String(LEASE_MS), ROOMLEDGER_AGENT_SWEEP_MS: "100", ROOMLEDGER_RATE_LIMIT: "0" },
    });
    c = tiwClient(server);
    rx = await receiver();
  });
  after(async () => {
    await rx.close();
    await server.stop();
  });

  const start = async (appId: number, extra: Record<string, unknown> = {}) => {
    const user = recordUser(1203);
    const r = await c.StartOnlineRecord({
      SdkAppId: appId,
      RoomId: 1203,
      RecordUserId: user,
      RecordUserSig: validSig(appId, user),
      ...extra,
    } as never);
    assert.match(r.TaskId!, /^[a-z0-9]{20}$/);
    return { taskId: r.TaskId!, user };
  };
  const get = (appId: number, taskId: string) => c.DescribeOnlineRecord({ SdkAppId: appId, TaskId: taskId });
  const until = (appId: number, taskId: string, status: string) =>
    waitFor(status, async () => {
      const d = await get(appId, taskId);
      return d.Status === status ? d : undefined;
    });

  test("PREPARED → RECORDING → PAUSED → RECORDING → STOPPED → FINISHED, with the result and the callbacks", async () => {
    const app = await tiwApp(server);
    await c.SetOnlineRecordCallback({ SdkAppId: app.appId, Callback: rx.url });
    await c.SetOnlineRecordCallbackKey({ SdkAppId: app.appId, CallbackKey: "record-key" });
    await c.SetWhiteboardPushCallbackKey({ SdkAppId: app.appId, CallbackKey: "push-key" }); // not the recording's
    const { taskId, user } = await start(app.appId, { Concat: { Enabled: true }, GroupId: "group-1203" });

    const prepared = await get(app.appId, taskId);
    assert.deepEqual(
      { ...prepared, RequestId: undefined },
      {
        FinishReason: "",
        TaskId: taskId,
        Status: "PREPARED",
        RoomId: 1203,
        GroupId: "group-1203",
        RecordUserId: user,
        RecordStartTime: 0,
        RecordStopTime: 0,
        TotalTime: 0,
        ExceptionCnt: 0,
        OmittedDurations: [],
        VideoInfos: [],
        ReplayUrl: null,
        Interrupts: [],
        RequestId: undefined,
      },
    );
    const running = await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "OnlineRecord" });
    assert.equal(running.Total, 1);
    assert.equal(running.Tasks![0]!.Status, "QUEUED");

    const w = worker(server, app.worker, "recorder-1");
    const claimed = await w.claim<{ RecordUserId: string; GroupId: string; Concat: { Enabled: boolean } }>("tiw-record");
    assert.equal(claimed.task?.taskId, taskId);
    assert.equal(claimed.task?.spec.RecordUserId, user);
    assert.deepEqual(claimed.task?.spec.Concat, { Enabled: true });
    assert.equal((await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "OnlineRecord" })).Tasks![0]!.Status, "PROCESSING");

    // Pausing before the first frame is not possible.
    assert.equal(
      (await sdkError(c.PauseOnlineRecord({ SdkAppId: app.appId, TaskId: taskId }))).code,
      "UnsupportedOperation.InvalidTaskStatus",
    );
    await w.report(taskId, [
      { type: "started" },
      { type: "interrupt", data: { userId: "student-1" } },
      { type: "interrupt", data: { userId: "student-1" } },
    ]);
    const recording = await get(app.appId, taskId);
    assert.equal(recording.Status, "RECORDING");
    assert.ok(recording.RecordStartTime! > 0);
    assert.deepEqual(recording.Interrupts, [{ UserId: "student-1", Count: 2 }]);
    assert.equal(
      (await sdkError(c.ResumeOnlineRecord({ SdkAppId: app.appId, TaskId: taskId }))).code,
      "UnsupportedOperation.InvalidTaskStatus",
    );

    await server.advance(30);
    await c.PauseOnlineRecord({ SdkAppId: app.appId, TaskId: taskId });
    assert.equal((await get(app.appId, taskId)).Status, "PAUSED");
    assert.equal(
      (await sdkError(c.PauseOnlineRecord({ SdkAppId: app.appId, TaskId: taskId }))).code,
      "UnsupportedOperation.InvalidTaskStatus",
    );
    await server.advance(60);
    await c.ResumeOnlineRecord({ SdkAppId: app.appId, TaskId: taskId });
    const resumed = await get(app.appId, taskId);
    assert.equal(resumed.Status, "RECORDING");
    assert.equal(resumed.OmittedDurations!.length, 1);
    const om = resumed.OmittedDurations![0]!;
    assert.ok(om.ResumeTime! - om.PauseTime! >= 60_000 && om.ResumeTime! - om.PauseTime! < 70_000, JSON.stringify(om));
    assert.ok(om.VideoTime! >= 30_000 && om.VideoTime! < 40_000, JSON.stringify(om));

    await server.advance(10);
    await c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: taskId });
    // Asked, not yet confirmed: still recording, and a second stop is a stop of a stopping task.
    assert.equal((await get(app.appId, taskId)).Status, "RECORDING");
    assert.equal(
      (await sdkError(c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: taskId }))).code,
      "UnsupportedOperation.TaskHasAlreadyStopped",
    );
    assert.equal(
      (await sdkError(c.PauseOnlineRecord({ SdkAppId: app.appId, TaskId: taskId }))).code,
      "UnsupportedOperation.TaskHasAlreadyStopped",
    );
    assert.equal((await w.heartbeat(taskId)).stop, true);
    await w.report(taskId, [{ type: "stopped" }]);
    const stopped = await get(app.appId, taskId);
    assert.equal(stopped.Status, "STOPPED");
    assert.equal(stopped.FinishReason, "USER_CALL");
    assert.deepEqual(stopped.VideoInfos, []);
    // Uploading: still a running task.
    assert.equal((await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "OnlineRecord" })).Total, 1);

    const startMs = recording.RecordStartTime! * 1000;
    await w.report(taskId, [
      {
        type: "finished",
        data: {
          videos: [
            {
              userId: "",
              videoType: 2,
              startTime: startMs + 623,
              duration: 17605,
              size: 226337,
              format: "mp4",
              url: "https://v.example/wb.mp4",
              videoId: "wb",
              width: 1280,
              height: 960,
            },
          ],
        },
      },
    ]);
    const finished = await get(app.appId, taskId);
    assert.equal(finished.Status, "FINISHED");
    assert.equal(finished.FinishReason, "USER_CALL");
    assert.ok(finished.RecordStopTime! >= finished.RecordStartTime! + 100);
    // Concat: the 60 s pause is cut out of the total.
    const span = (finished.RecordStopTime! - finished.RecordStartTime!) * 1000;
    assert.ok(finished.TotalTime! > span - 62_000 && finished.TotalTime! < span - 59_000, `${finished.TotalTime} of ${span}`);
    assert.equal(finished.VideoInfos!.length, 1);
    const v = finished.VideoInfos![0]!;
    assert.equal(v.VideoType, 2);
    assert.equal(v.UserId, "");
    // The file began 623 ms after the second RecordStartTime names (the start itself is within that second).
    assert.ok(v.VideoPlayTime! >= 0 && v.VideoPlayTime! <= 623, String(v.VideoPlayTime));
    assert.equal((await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "OnlineRecord" })).Total, 0);
    assert.equal(
      (await sdkError(c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: taskId }))).code,
      "UnsupportedOperation.TaskHasAlreadyStopped",
    );

    await server.admin("POST", "/jobs/drain");
    const mine = await waitFor("3 callbacks", async () => {
      const d = rx.got.filter((x) => x.EventData.TaskId === taskId);
      return d.length >= 3 ? d : undefined;
    });
    assert.deepEqual(
      mine.map((d) => d.EventType),
      ["OnlineRecordStarted", "OnlineRecordStopped", "OnlineRecordFinished"],
    );
    for (const d of mine) {
      assert.equal(d.Sign, md5(`record-key${d.ExpireTime}`));
      assert.equal(d.SdkAppId, app.appId);
    }
    assert.deepEqual(mine[0]!.EventData, { TaskId: taskId, RoomId: 1203, RecordUserId: user });
    const fin = mine[2]!.EventData;
    assert.equal(fin.FinishReason, "USER_CALL");
    assert.equal(fin.GroupId, "group-1203");
    assert.equal(fin.TotalTime, finished.TotalTime);
    assert.deepEqual(fin.VideoInfos, finished.VideoInfos);
    assert.deepEqual(fin.OmittedDurations, finished.OmittedDurations);
    assert.equal(fin.Error, undefined);
  });

  test("the simulated recorder records until stopped; a bad UserSig fails as the cloud's example 2", async () => {
    const app = await tiwApp(server);
    const abort = new AbortController();
    const lines: string[] = [];
    const sim = tiwRecordSimulator({
      baseUrl: server.url,
      credential: app.worker,
      workerId: "sim-rec",
      startDelayMs: 50,
      failureRate: 0,
      once: false,
      signal: abort.signal,
      log: (l) => lines.push(l),
    });
    try {
      const { taskId } = await start(app.appId, { Whiteboard: { Width: 640, Height: 360 } });
      await until(app.appId, taskId, "RECORDING");
      await c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: taskId });
      const done = await until(app.appId, taskId, "FINISHED");
      assert.equal(done.FinishReason, "USER_CALL");
      assert.equal(done.VideoInfos!.length, 1);
      assert.equal(done.VideoInfos![0]!.Width, 640);
      // The video's length is the recorder's measure, TotalTime the server's: a request apart.
      assert.ok(Math.abs(done.VideoInfos![0]!.VideoDuration! - done.TotalTime!) < 1000);

      const bad = await c.StartOnlineRecord({
        SdkAppId: app.appId,
        RoomId: 1203,
        RecordUserId: recordUser(1203),
        RecordUserSig: "not-a-usersig",
      });
      const err = await waitFor("FailedOperation.Record", async () => {
        const e = await sdkError(get(app.appId, bad.TaskId!));
        return e.code === "FailedOperation.Record" ? e : undefined;
      });
      assert.match(err.message, /^code: 40004, msg: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, im login failed with code 70001, desc .+\n$/);
    } finally {
      abort.abort();
      await sim;
    }
  });

  test("auto stop after AutoStopTimeout without activity; forced stop after a 90-minute pause", async () => {
    const app = await tiwApp(server);
    const w = worker(server, app.worker, "recorder-auto");
    const a = await start(app.appId, { AutoStopTimeout: 300, RoomId: 501 });
    const b = await start(app.appId, { AutoStopTimeout: 300, RoomId: 502 });
    const idle = await start(app.appId, { AutoStopTimeout: 300, RoomId: 503 });
    for (const t of [a, b]) {
      await w.claim("tiw-record");
      await w.report(t.taskId, [{ type: "started" }]);
    }
    await server.advance(200);
    await c.PauseOnlineRecord({ SdkAppId: app.appId, TaskId: b.taskId });
    assert.equal(
      (await ingest(server, app.key, [{ id: "wb-r1", type: "tiw.whiteboard.activity", ctime: Date.now(), data: { roomId: 501 } }])).status,
      200,
    );
    await server.advance(101);
    // Never claimed: finished at once, nothing recorded.
    const i = await until(app.appId, idle.taskId, "FINISHED");
    assert.equal(i.FinishReason, "AUTO");
    assert.equal(i.RecordStartTime, 0);
    assert.equal((await get(app.appId, a.taskId)).Status, "RECORDING");
    await server.advance(300);
    await w.heartbeat(a.taskId).then((h) => assert.equal(h.stop, true));
    await w.report(a.taskId, [{ type: "stopped" }]);
    assert.equal((await get(app.appId, a.taskId)).FinishReason, "AUTO");
    // b is paused: the auto stop does not apply; the 90-minute pause limit does.
    assert.equal((await get(app.appId, b.taskId)).Status, "PAUSED");
    await server.advance(90 * 60);
    assert.equal((await w.heartbeat(b.taskId)).stop, true);
    await w.report(b.taskId, [{ type: "stopped" }, { type: "finished", data: { videos: [] } }]);
    const forced = await get(app.appId, b.taskId);
    assert.equal(forced.Status, "FINISHED");
    assert.equal(forced.FinishReason, "FORCE_STOP");
    // Without Concat, no OmittedDurations.
    assert.deepEqual(forced.OmittedDurations, []);
  });

  test("a recorder lost while recording is replaced; lost while uploading, the recording ends with what it has", async () => {
    const app = await tiwApp(server);
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxAttempts: 3 });
    const { taskId } = await start(app.appId);
    const w1 = worker(server, app.worker, "rec-lost-1");
    await w1.claim("tiw-record");
    await w1.report(taskId, [{ type: "started" }]);
    // w1 vanishes: the lease runs out, the task is offered again.
    const w2 = worker(server, app.worker, "rec-lost-2");
    const again = await waitFor(
      "re-offer",
      async () => ((await w2.claim("tiw-record")).task?.taskId === taskId ? true : undefined),
      15_000,
    );
    assert.ok(again);
    const d = await get(app.appId, taskId);
    assert.equal(d.Status, "RECORDING");
    assert.equal(d.ExceptionCnt, 1);
    await c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: taskId });
    await w2.heartbeat(taskId);
    await w2.report(taskId, [{ type: "stopped" }]);
    // w2 vanishes while uploading.
    const end = await waitFor(
      "FINISHED",
      async () => {
        const x = await get(app.appId, taskId);
        return x.Status === "FINISHED" ? x : undefined;
      },
      15_000,
    );
    assert.equal(end.FinishReason, "USER_CALL");
    assert.equal(end.ExceptionCnt, 2);
    assert.deepEqual(end.VideoInfos, []);
  });

  test("errors: unknown task, app checks, user in use, concurrency, parameter rules", async () => {
    const app = await tiwApp(server);
    for (const call of [c.DescribeOnlineRecord, c.StopOnlineRecord, c.PauseOnlineRecord, c.ResumeOnlineRecord]) {
      assert.equal(
        (await sdkError(call.call(c, { SdkAppId: app.appId, TaskId: "nosuchtask0000000000" }))).code,
        "InvalidParameter.TaskNotFound",
      );
      assert.equal((await sdkError(call.call(c, { SdkAppId: 1, TaskId: "x" }))).code, "UnauthorizedOperation.SdkAppId");
    }
    // A push's TaskId is not a recording's.
    const pu = pushUser();
    const push = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 1, PushUserId: pu, PushUserSig: "s" });
    assert.equal((await sdkError(get(app.appId, push.TaskId!))).code, "InvalidParameter.TaskNotFound");
    assert.equal((await sdkError(c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: push.TaskId! }))).code, "InvalidParameter.TaskNotFound");

    assert.equal(
      (await sdkError(c.StartOnlineRecord({ SdkAppId: 1, RoomId: 1, RecordUserId: "u", RecordUserSig: "s" }))).code,
      "InvalidParameter.SdkAppIdNotFound",
    );
    const other = await tiwApp(server, ["lcic"]);
    assert.equal(
      (await sdkError(c.StartOnlineRecord({ SdkAppId: other.appId, RoomId: 1, RecordUserId: "u", RecordUserSig: "s" }))).code,
      "ResourceUnavailable.NotRegistered",
    );

    const { user } = await start(app.appId);
    assert.equal(
      (await sdkError(c.StartOnlineRecord({ SdkAppId: app.appId, RoomId: 9, RecordUserId: user, RecordUserSig: "s" }))).code,
      "ResourceInUse.RecordUserId",
    );
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxConcurrentRecords: 1 });
    assert.equal((await sdkError(start(app.appId))).code, "LimitExceeded.TaskConcurrency");
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxConcurrentRecords: 100 });

    const base = { SdkAppId: app.appId, RoomId: 1, RecordUserId: recordUser(1), RecordUserSig: "s" };
    const code = async (extra: Record<string, unknown>) => (await sdkError(c.StartOnlineRecord({ ...base, ...extra } as never))).code;
    assert.equal(await code({ MixStream: { Enabled: true, ModelId: 1 } }), "InvalidParameter.RecordParameter");
    assert.equal(await code({ MixStream: { Enabled: true }, Extras: ["MIX_STREAM"] }), "InvalidParameter.RecordParameter");
    assert.equal(await code({ Extras: ["TELEPORT"] }), "InvalidParameter.InvalidExtra");
    assert.equal(await code({ ExtraData: "x" }), "InvalidParameter.InvalidExtra");
    assert.equal(await code({ AutoStopTimeout: 299 }), "InvalidParameterValue");
    assert.equal(await code({ RecordMode: "LIVE" }), "InvalidParameterValue");
    assert.equal(await code({ RoomId: "room-1203" }), "InvalidParameter.BodyParameterTypeUnmatched");
    // Mixing with the feature named: accepted.
    const ok = await c.StartOnlineRecord({
      ...base,
      MixStream: { Enabled: true, ModelId: 2, TeacherId: "teacher" },
      Extras: ["MIX_STREAM"],
    });
    assert.match(ok.TaskId!, /^[a-z0-9]{20}$/);
  });

  test("callback settings: online recording, video generation and warnings, each its own", async () => {
    const app = await tiwApp(server);
    await c.SetOnlineRecordCallback({ SdkAppId: app.appId, Callback: "https://example.com/online/callback" });
    await c.SetOnlineRecordCallbackKey({ SdkAppId: app.appId, CallbackKey: "6vg9G7Fd" });
    await c.SetVideoGenerationTaskCallback({ SdkAppId: app.appId, Callback: "https://example.com/video" });
    await c.SetVideoGenerationTaskCallbackKey({ SdkAppId: app.appId, CallbackKey: "vk" });
    await c.SetWarningCallback({ SdkAppId: app.appId, Callback: "http://callback", CallbackKey: "12345" });
    const strip = <T extends { RequestId?: string }>(x: T) => ({ ...x, RequestId: undefined });
    assert.deepEqual(strip(await c.DescribeOnlineRecordCallback({ SdkAppId: app.appId })), {
      Callback: "https://example.com/online/callback",
      CallbackKey: "6vg9G7Fd",
      RequestId: undefined,
    });
    assert.deepEqual(strip(await c.DescribeVideoGenerationTaskCallback({ SdkAppId: app.appId })), {
      Callback: "https://example.com/video",
      CallbackKey: "vk",
      RequestId: undefined,
    });
    assert.deepEqual(strip(await c.DescribeWarningCallback({ SdkAppId: app.appId })), {
      Callback: "http://callback",
      CallbackKey: "12345",
      RequestId: undefined,
    });
    assert.deepEqual(strip(await c.DescribeWhiteboardPushCallback({ SdkAppId: app.appId })), {
      Callback: "",
      CallbackKey: "",
      RequestId: undefined,
    });
    await c.SetOnlineRecordCallback({ SdkAppId: app.appId, Callback: "" });
    await c.SetWarningCallback({ SdkAppId: app.appId, Callback: "", CallbackKey: "" });
    assert.equal((await c.DescribeOnlineRecordCallback({ SdkAppId: app.appId })).Callback, "");
    assert.deepEqual(strip(await c.DescribeWarningCallback({ SdkAppId: app.appId })), {
      Callback: "",
      CallbackKey: "",
      RequestId: undefined,
    });
    // Thunks, called one at a time: promises made at once would reject before sdkError()
    // holds them (an unhandled rejection fails the test at random).
    for (const p of [
      () => c.SetOnlineRecordCallback({ SdkAppId: app.appId, Callback: "ftp://x" }),
      () => c.SetVideoGenerationTaskCallback({ SdkAppId: app.appId, Callback: "example.com" }),
      () => c.SetWarningCallback({ SdkAppId: app.appId, Callback: "javascript:alert(1)", CallbackKey: "" }),
    ]) {
      assert.equal((await sdkError(p())).code, "InvalidParameter.CallbackAddressFormatError");
    }
    assert.equal(
      (await sdkError(c.SetOnlineRecordCallbackKey({ SdkAppId: app.appId, CallbackKey: "k".repeat(65) }))).code,
      "InvalidParameterValue",
    );
    assert.equal((await sdkError(c.DescribeWarningCallback({ SdkAppId: 1 }))).code, "UnauthorizedOperation.SdkAppId");
  });

  test("DescribeRunningTasks: pushes and recordings, pages, the three-day window, other types", async () => {
    const app = await tiwApp(server);
    const pushes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const u = pushUser();
      pushes.push((await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 12345, PushUserId: u, PushUserSig: "s" })).TaskId!);
    }
    const all = await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush" });
    assert.equal(all.Total, 3);
    assert.deepEqual(all.Tasks!.map((t) => t.TaskID).sort(), [...pushes].sort());
    const t0 = all.Tasks![0]!;
    assert.deepEqual(Object.keys(t0).sort(), [
      "CancelTime",
      "CreateTime",
      "FileURL",
      "Progress",
      "RoomID",
      "SdkAppID",
      "Status",
      "TaskID",
      "TaskType",
    ]);
    assert.equal(t0.SdkAppID, app.appId);
    assert.equal(t0.TaskType, "WhiteboardPush");
    assert.equal(t0.RoomID, 12345);
    assert.equal(t0.Status, "QUEUED");
    assert.equal(t0.CancelTime, "");
    assert.equal(t0.FileURL, "");
    assert.match(t0.CreateTime!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const page = await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush", Offset: 1, Limit: 1 });
    assert.equal(page.Total, 3);
    assert.deepEqual(
      page.Tasks!.map((t) => t.TaskID),
      [all.Tasks![1]!.TaskID],
    );
    const past = await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush", Offset: 10 });
    assert.equal(past.Total, 3);
    assert.deepEqual(past.Tasks, []);
    await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: pushes[0]! });
    assert.equal((await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush" })).Total, 2);
    assert.equal((await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "TranscodeH5" })).Total, 0);
    for (const Limit of [0, 501]) {
      assert.equal(
        (await sdkError(c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush", Limit }))).code,
        "InvalidParameterValue",
      );
    }
    assert.equal(
      (await sdkError(c.DescribeRunningTasks({ SdkAppID: 1, TaskType: "WhiteboardPush" }))).code,
      "UnauthorizedOperation.SdkAppId",
    );
    // A push kept alive for three days and a second is still running, but out of the window.
    const u = pushUser();
    const old = await c.StartWhiteboardPush({
      SdkAppId: app.appId,
      RoomId: 777,
      PushUserId: u,
      PushUserSig: "s",
      AutoStopTimeout: 259200,
    });
    await server.advance(2 * 24 * 3600);
    assert.equal(
      (await ingest(server, app.key, [{ id: "wb-old", type: "tiw.whiteboard.activity", ctime: Date.now(), data: { roomId: 777 } }])).status,
      200,
    );
    await server.advance(24 * 3600 - 2);
    assert.ok(
      (await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush" })).Tasks!.some((t) => t.TaskID === old.TaskId),
    );
    await server.advance(3);
    assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: old.TaskId! })).Status, "PREPARED");
    assert.equal((await c.DescribeRunningTasks({ SdkAppID: app.appId, TaskType: "WhiteboardPush" })).Total, 0);
  });
});
