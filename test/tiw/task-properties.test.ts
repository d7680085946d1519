// Property tests on the boundaries of the recording, video generation, snapshot, running
// tasks and callback actions, and of the new agent task kinds' reports: any request gets
// its success answer or a documented error (never InternalError), and any report batch is
// applied or refused with a 4xx (never a 5xx).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { tiwApp, tiwClient, worker, type TiwClient } from "./helpers.ts";

// Every code these actions may answer: the gateway's common validation codes and TIW's own
// (the Go SDK's per-action lists).
const DOCUMENTED = new Set([
  "MissingParameter",
  "InvalidParameterValue",
  "UnknownParameter",
  "InvalidParameter",
  "InvalidParameter.BodyParameterTypeUnmatched",
  "InvalidParameter.RecordParameter",
  "InvalidParameter.InvalidExtra",
  "InvalidParameter.SdkAppIdNotFound",
  "InvalidParameter.TaskNotFound",
  "InvalidParameter.CallbackAddressFormatError",
  "LimitExceeded.TaskConcurrency",
  "ResourceInUse.RecordUserId",
  "ResourceUnavailable.NotRegistered",
  "UnauthorizedOperation.SdkAppId",
  "UnsupportedOperation.TaskHasAlreadyStopped",
  "UnsupportedOperation.InvalidTaskStatus",
  "FailedOperation",
  "FailedOperation.Record",
]);

describe("TIW task properties", () => {
  let server: TestServer;
  let c: TiwClient;
  let app: { appId: number; key: string };
  before(async () => {
    server = await startServer({ env: { ROOMLEDGER_RATE_LIMIT: "0" } });
    c = tiwClient(server);
    app = await tiwApp(server);
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxConcurrentRecords: 1_000_000 });
  });
  after(() => server.stop());

  const anyValue = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
  const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, anyValue);
  const documented = async (what: string, p: Promise<unknown>) => {
    try {
      return await p;
    } catch (err) {
      const code = (err as { code?: string }).code;
      assert.ok(code && DOCUMENTED.has(code), `${what} → ${code}: ${(err as Error).message}`);
      return null;
    }
  };
  const layout = fc.record(
    { Width: maybe(fc.integer({ min: 0, max: 4000 })), Height: maybe(fc.integer({ min: 0, max: 4000 })), X: maybe(fc.integer()) },
    { requiredKeys: [] },
  );
  const recordParams = {
    Whiteboard: maybe(
      fc.record({ Width: maybe(fc.integer()), Height: maybe(fc.integer()), InitParam: maybe(fc.string()) }, { requiredKeys: [] }),
    ),
    Concat: maybe(fc.record({ Enabled: maybe(fc.boolean()), Image: maybe(fc.string()) }, { requiredKeys: [] })),
    MixStream: maybe(
      fc.record(
        {
          Enabled: maybe(fc.boolean()),
          ModelId: maybe(fc.integer({ min: -1, max: 3 })),
          Custom: maybe(
            fc.record(
              {
                Canvas: maybe(fc.record({ LayoutParams: layout })),
                InputStreamList: maybe(fc.array(fc.record({ LayoutParams: layout }), { maxLength: 3 })),
              },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    RecordControl: maybe(
      fc.record(
        {
          Enabled: maybe(fc.boolean()),
          StreamControls: maybe(fc.array(fc.record({ StreamId: maybe(fc.string()), DisableAudio: maybe(fc.boolean()) }), { maxLength: 3 })),
        },
        { requiredKeys: [] },
      ),
    ),
  };

  test("StartOnlineRecord: any request is answered with a TaskId or a documented error", async () => {
    const req = fc.record(
      {
        SdkAppId: maybe(fc.constantFrom(app.appId, 1, 0, -1)),
        RoomId: maybe(fc.integer({ min: -1, max: 2 ** 33 })),
        RecordUserId: maybe(fc.string({ maxLength: 70 })),
        RecordUserSig: maybe(fc.string()),
        GroupId: maybe(fc.string({ maxLength: 130 })),
        Extras: maybe(fc.array(fc.constantFrom("MIX_STREAM", "X", ""), { maxLength: 3 })),
        RecordMode: maybe(fc.constantFrom("REALTIME_MODE", "VIDEO_GENERATION_MODE", "x")),
        AutoStopTimeout: maybe(fc.integer({ min: 0, max: 100000 })),
        ExtraData: maybe(fc.constantFrom("", "x")),
        TRTCRoomId: maybe(fc.integer({ min: -1, max: 2 ** 33 })),
        TRTCRoomIdStr: maybe(fc.string({ maxLength: 70 })),
        ...recordParams,
        Unknown: anyValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(req, async (r) => {
        const res = (await documented(JSON.stringify(r), c.StartOnlineRecord(r as never))) as { TaskId?: string } | null;
        if (res) assert.match(res.TaskId!, /^[a-z0-9]{20}$/);
      }),
      { numRuns: 150 },
    );
  });

  test("Stop / Pause / Resume / Describe: any TaskId and SdkAppId, in any order, get a documented answer", async () => {
    // An app of its own: the recorder below must claim this task, not one the fuzzer above started.
    const app = await tiwApp(server);
    const user = `tic_record_user_1_${process.pid}_prop`;
    const { TaskId } = await c.StartOnlineRecord({ SdkAppId: app.appId, RoomId: 1, RecordUserId: user, RecordUserSig: "s" });
    const w = worker(server, app.worker, "prop-recorder");
    await w.claim("tiw-record");
    await w.report(TaskId!, [{ type: "started" }]);
    const args = fc.record(
      { SdkAppId: maybe(fc.constantFrom(app.appId, 7)), TaskId: maybe(fc.oneof(fc.constant(TaskId!), fc.string({ maxLength: 140 }))) },
      { requiredKeys: [] },
    );
    const actions = [
      c.PauseOnlineRecord,
      c.ResumeOnlineRecord,
      c.DescribeOnlineRecord,
      c.StopOnlineRecord,
      c.DescribeVideoGenerationTask,
    ] as const;
    await fc.assert(
      fc.asyncProperty(args, fc.nat({ max: actions.length - 1 }), async (r, i) => {
        // Stop rarely, so that pause and resume meet a live task most of the time.
        if (i === 3 && Math.random() < 0.9) return;
        await documented(JSON.stringify(r), actions[i]!.call(c, r as never));
      }),
      { numRuns: 150 },
    );
  });

  test("DescribeRunningTasks, CreateVideoGenerationTask, snapshots, callbacks: documented answers only", async () => {
    const calls = fc.oneof(
      fc
        .record(
          {
            SdkAppID: maybe(fc.constantFrom(app.appId, 1)),
            TaskType: maybe(fc.constantFrom("WhiteboardPush", "OnlineRecord", "TranscodeH5", "x")),
            Offset: maybe(fc.integer({ min: -1, max: 2 ** 40 })),
            Limit: maybe(fc.integer({ min: -1, max: 600 })),
          },
          { requiredKeys: [] },
        )
        .map((r) => () => c.DescribeRunningTasks(r as never)),
      fc
        .record(
          {
            SdkAppId: maybe(fc.constantFrom(app.appId, 1)),
            OnlineRecordTaskId: maybe(fc.string({ maxLength: 140 })),
            ExtraData: maybe(fc.string()),
            ...recordParams,
          },
          { requiredKeys: [] },
        )
        .map((r) => () => c.CreateVideoGenerationTask(r as never)),
      fc
        .record(
          {
            SdkAppId: maybe(fc.constantFrom(app.appId, 1)),
            RoomId: maybe(fc.integer({ min: -1, max: 2 ** 33 })),
            Whiteboard: maybe(
              fc.record(
                { Width: maybe(fc.integer({ min: -1, max: 3000 })), Height: maybe(fc.integer()), InitParams: maybe(fc.string()) },
                { requiredKeys: [] },
              ),
            ),
            CallbackURL: maybe(fc.oneof(fc.webUrl(), fc.string())),
            COS: maybe(
              fc.record({ Uin: maybe(fc.integer()), Region: maybe(fc.string()), Bucket: maybe(fc.string()) }, { requiredKeys: [] }),
            ),
            SnapshotMode: maybe(fc.constantFrom("AllMarks", "LatestMarksOnly", "x")),
          },
          { requiredKeys: [] },
        )
        .map((r) => () => c.CreateSnapshotTask(r as never)),
      fc
        .record(
          { SdkAppId: maybe(fc.constantFrom(app.appId, 1)), TaskID: maybe(fc.oneof(fc.uuid(), fc.string({ maxLength: 140 }))) },
          { requiredKeys: [] },
        )
        .map((r) => () => c.DescribeSnapshotTask(r as never)),
      fc
        .record(
          {
            SdkAppId: maybe(fc.constantFrom(app.appId, 1)),
            Callback: maybe(fc.oneof(fc.webUrl(), fc.string({ maxLength: 1100 }))),
            CallbackKey: maybe(fc.string({ maxLength: 70 })),
          },
          { requiredKeys: [] },
        )
        .chain((r) =>
          fc.constantFrom(
            () => c.SetOnlineRecordCallback(r as never),
            () => c.SetOnlineRecordCallbackKey(r as never),
            () => c.SetVideoGenerationTaskCallback(r as never),
            () => c.SetVideoGenerationTaskCallbackKey(r as never),
            () => c.SetWarningCallback(r as never),
            () => c.DescribeWarningCallback(r as never),
            () => c.DescribeOnlineRecordCallback(r as never),
            () => c.DescribeVideoGenerationTaskCallback(r as never),
          ),
        ),
    );
    await fc.assert(
      fc.asyncProperty(calls, async (call) => {
        await documented(call.toString(), call());
      }),
      { numRuns: 200 },
    );
  });

  test("tiw-record and tiw-snapshot reports: applied or refused with a 4xx, never a 5xx", async () => {
    const app = await tiwApp(server);
    const { TaskId: recordId } = await c.StartOnlineRecord({
      SdkAppId: app.appId,
      RoomId: 2,
      RecordUserId: `tic_record_user_2_${process.pid}_fuzz`,
      RecordUserSig: "s",
    });
    const { TaskID: snapshotId } = await c.CreateSnapshotTask({ SdkAppId: app.appId, RoomId: 2, Whiteboard: {} });
    const headers = { "content-type": "application/json", authorization: `Bearer ${app.worker}` };
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/agent/v1${path}`, {
        method: "POST",
        headers,
        body: JSON.stringify({ workerId: "fuzz-worker", ...(body as object) }),
      });
    // The lease token of each claimed task, sent with its reports.
    const leases = new Map<string, string>();
    const claim = async (kind: string) => {
      const { task } = (await (await post("/claim", { kind })).json()) as { task: { taskId: string; leaseToken: string } | null };
      if (task) leases.set(task.taskId, task.leaseToken);
    };
    for (const kind of ["tiw-record", "tiw-snapshot"]) await claim(kind);
    const video = fc.record(
      {
        userId: maybe(fc.string()),
        videoType: maybe(fc.integer({ min: -1, max: 5 })),
        startTime: maybe(fc.nat()),
        duration: maybe(fc.integer()),
        size: maybe(fc.nat()),
        format: maybe(fc.string()),
        url: maybe(fc.string()),
        videoId: maybe(fc.string()),
        width: maybe(fc.nat()),
        height: maybe(fc.nat()),
      },
      { requiredKeys: [] },
    );
    const report = fc.record(
      {
        type: fc.constantFrom("started", "exception", "interrupt", "stopped", "finished", "failed", "snapshot", "progress", "x"),
        time: maybe(fc.nat()),
        data: maybe(
          fc.record(
            {
              code: maybe(fc.oneof(fc.integer(), fc.string())),
              message: maybe(fc.string()),
              userId: maybe(fc.string()),
              url: maybe(fc.string()),
              progress: maybe(fc.integer()),
              videos: maybe(fc.array(video, { maxLength: 2 })),
              replayUrl: maybe(fc.string()),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: ["type"] },
    );
    // Well-formed reports of every type too, so that a batch gets past validation often.
    const validVideo = fc.record({
      userId: fc.string({ maxLength: 10 }),
      videoType: fc.integer({ min: 0, max: 4 }),
      startTime: fc.nat(),
      duration: fc.nat(),
      size: fc.nat(),
      format: fc.constant("mp4"),
      url: fc.webUrl(),
      videoId: fc.string({ minLength: 1, maxLength: 10 }),
      width: fc.nat({ max: 4000 }),
      height: fc.nat({ max: 4000 }),
    });
    const wellFormed = fc.oneof(
      fc.constantFrom({ type: "started", data: {} }, { type: "stopped", data: {} }, { type: "finished", data: {} }),
      fc.record({
        type: fc.constant("finished"),
        data: fc.record({ videos: fc.array(validVideo, { maxLength: 2 }), replayUrl: fc.webUrl() }, { requiredKeys: [] }),
      }),
      fc.record({ type: fc.constant("interrupt"), data: fc.record({ userId: fc.string({ minLength: 1, maxLength: 10 }) }) }),
      fc.record({ type: fc.constantFrom("failed", "exception"), data: fc.record({ code: fc.integer(), message: fc.string() }) }),
      fc.record({ type: fc.constant("snapshot"), data: fc.record({ url: fc.webUrl() }) }),
    );
    // Each run on a task of its own, held by the fuzzing worker, asked to stop or not: the
    // batches then reach every branch (`stopped` and `finished` need a stop asked for). Runs
    // and shrinking leave many recordings open: lift the app's concurrency limit (100 by
    // default) so that LimitExceeded.TaskConcurrency is not what a run meets.
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxConcurrentRecords: 1_000_000 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("record", "snapshot"),
        fc.boolean(),
        fc.array(fc.oneof(wellFormed, report), { minLength: 1, maxLength: 4 }),
        async (kind, askStop, reports) => {
          let taskId: string;
          if (kind === "record") {
            taskId = (
              await c.StartOnlineRecord({
                SdkAppId: app.appId,
                RoomId: 3,
                RecordUserId: `tic_record_user_3_${process.pid}_${++n}`,
                RecordUserSig: "s",
              })
            ).TaskId!;
            await claim("tiw-record");
            if (askStop) await c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: taskId });
          } else {
            taskId = (await c.CreateSnapshotTask({ SdkAppId: app.appId, RoomId: 3, Whiteboard: {} })).TaskID!;
            await claim("tiw-snapshot");
          }
          const res = await post(`/tasks/${taskId}/reports`, { leaseToken: leases.get(taskId), reports });
          await res.arrayBuffer();
          assert.ok(res.status < 500, `${kind} ${askStop} ${JSON.stringify(reports)} → ${res.status}`);
        },
      ),
      { numRuns: 150 },
    );
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    // Whatever the reports did, the tasks still describe (or answer their documented failure).
    await documented("describe record", c.DescribeOnlineRecord({ SdkAppId: app.appId, TaskId: recordId! }));
    await documented("describe snapshot", c.DescribeSnapshotTask({ SdkAppId: app.appId, TaskID: snapshotId! }));
  });
});
