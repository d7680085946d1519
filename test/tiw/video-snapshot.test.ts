// Video generation and snapshot tasks through the official SDK, on both backends: their
// state machines driven over the agent protocol (by hand and by the simulated workers), the
// results, the callbacks, and the errors.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash } from "node:crypto";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { tiwApp, tiwClient, waitFor, worker, type TiwClient } from "./helpers.ts";
import { tiwVideoGenerationSimulator } from "../../src/products/tiw/video-generation-simulator.ts";
import { tiwSnapshotSimulator } from "../../src/products/tiw/snapshot-simulator.ts";

const md5 = (s: string) => createHash("md5").update(s).digest("hex");
let users = 0;
const recordUser = () => `tic_record_user_900822_${process.pid}_${++users}`;

async function receiver() {
  const got: Record<string, any>[] = [];
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

function runSimulator(sim: typeof tiwSnapshotSimulator, server: TestServer, credential: string, o: { failureRate?: number } = {}) {
  const abort = new AbortController();
  const done = sim({
    baseUrl: server.url,
    credential,
    workerId: `sim-${Math.random()}`,
    startDelayMs: 30,
    failureRate: o.failureRate ?? 0,
    once: false,
    signal: abort.signal,
    log: () => {},
  });
  return async () => {
    abort.abort();
    await done;
  };
}

for (const backend of backends()) {
  describe(`TIW video generation and snapshots (${backend})`, () => {
    let server: TestServer;
    let c: TiwClient;
    let rx: Awaited<ReturnType<typeof receiver>>;
    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_RATE_LIMIT: "0" } });
      c = tiwClient(server);
      rx = await receiver();
    });
    after(async () => {
      await rx.close();
      await server.stop();
    });

    /** A finished recording in the given mode, recorded by hand: 100 s with a 20 s pause after 40 s. */
    async function finishedRecording(app: { appId: number; worker: string }, mode: "VIDEO_GENERATION_MODE" | "REALTIME_MODE") {
      const { TaskId } = await c.StartOnlineRecord({
        SdkAppId: app.appId,
        RoomId: 900822,
        RecordUserId: recordUser(),
        RecordUserSig: "s",
        RecordMode: mode,
        Concat: { Enabled: true },
        Whiteboard: { Width: 1024, Height: 768 },
      });
      const w = worker(server, app.worker, `rec-${TaskId}`);
      await w.claim("tiw-record");
      await w.report(TaskId!, [{ type: "started" }]);
      await server.advance(40);
      await c.PauseOnlineRecord({ SdkAppId: app.appId, TaskId: TaskId! });
      await server.advance(20);
      await c.ResumeOnlineRecord({ SdkAppId: app.appId, TaskId: TaskId! });
      await server.advance(40);
      await c.StopOnlineRecord({ SdkAppId: app.appId, TaskId: TaskId! });
      await w.heartbeat(TaskId!);
      await w.report(TaskId!, [
        { type: "stopped" },
        {
          type: "finished",
          data: { videos: [], ...(mode === "VIDEO_GENERATION_MODE" ? { replayUrl: "https://replay.example/900822" } : {}) },
        },
      ]);
      return TaskId!;
    }

    test("QUEUED → PROCESSING → FINISHED from a video-generation-mode recording, with the callbacks", async () => {
      const app = await tiwApp(server);
      await c.SetVideoGenerationTaskCallback({ SdkAppId: app.appId, Callback: rx.url });
      await c.SetVideoGenerationTaskCallbackKey({ SdkAppId: app.appId, CallbackKey: "video-key" });
      const recordId = await finishedRecording(app, "VIDEO_GENERATION_MODE");
      const record = await c.DescribeOnlineRecord({ SdkAppId: app.appId, TaskId: recordId });
      assert.equal(record.Status, "FINISHED");
      assert.equal(record.ReplayUrl, "https://replay.example/900822");
      assert.deepEqual(record.VideoInfos, []);

      // The request's Concat wins over the recording's: without it, the pause stays in.
      const { TaskId } = await c.CreateVideoGenerationTask({
        SdkAppId: app.appId,
        OnlineRecordTaskId: recordId,
        Concat: { Enabled: false },
      });
      assert.match(TaskId!, /^[a-z0-9]{20}$/);
      const queued = await c.DescribeVideoGenerationTask({ SdkAppId: app.appId, TaskId: TaskId! });
      assert.deepEqual(
        { ...queued, RequestId: undefined },
        {
          GroupId: "900822",
          RoomId: 900822,
          TaskId,
          Progress: 0,
          Status: "QUEUED",
          TotalTime: 0,
          VideoInfos: {
            VideoPlayTime: 0,
            VideoSize: 0,
            VideoFormat: "",
            VideoDuration: 0,
            VideoUrl: "",
            VideoId: "",
            VideoType: 0,
            UserId: "",
            Width: 0,
            Height: 0,
          },
          VideoInfoList: [],
          RequestId: undefined,
        },
      );

      const g = worker(server, app.worker, "generator-1");
      const claimed = await g.claim<{
        TotalTime: number;
        RecordStartTime: number;
        ReplayUrl: string;
        Concat: { Enabled: boolean };
        Whiteboard: { Width: number };
      }>("tiw-video-generation");
      const spec = claimed.task!.spec;
      assert.equal(spec.ReplayUrl, "https://replay.example/900822");
      assert.deepEqual(spec.Concat, { Enabled: false });
      assert.equal(spec.Whiteboard.Width, 1024);
      const span = (record.RecordStopTime! - record.RecordStartTime!) * 1000;
      assert.ok(Math.abs(spec.TotalTime - span) < 1000, `${spec.TotalTime} vs ${span}`);
      await g.report(TaskId!, [{ type: "started" }, { type: "progress", data: { progress: 50 } }]);
      const processing = await c.DescribeVideoGenerationTask({ SdkAppId: app.appId, TaskId: TaskId! });
      assert.equal(processing.Status, "PROCESSING");
      assert.equal(processing.Progress, 50);
      const video = {
        userId: "",
        videoType: 2,
        startTime: spec.RecordStartTime,
        duration: spec.TotalTime,
        size: 318384,
        format: "mp4",
        url: "https://vod.example/video.mp4",
        videoId: "5285890792776509100",
        width: 1024,
        height: 768,
      };
      await g.report(TaskId!, [{ type: "finished", data: { videos: [video] } }]);
      const done = await c.DescribeVideoGenerationTask({ SdkAppId: app.appId, TaskId: TaskId! });
      assert.equal(done.Status, "FINISHED");
      assert.equal(done.Progress, 100);
      assert.equal(done.TotalTime, spec.TotalTime);
      assert.equal(done.VideoInfoList!.length, 1);
      assert.deepEqual(done.VideoInfos, done.VideoInfoList![0]);
      assert.deepEqual(done.VideoInfoList![0], {
        VideoPlayTime: 0,
        VideoSize: 318384,
        VideoFormat: "mp4",
        VideoDuration: spec.TotalTime,
        VideoUrl: "https://vod.example/video.mp4",
        VideoId: "5285890792776509100",
        VideoType: 2,
        UserId: "",
        Width: 1024,
        Height: 768,
      });

      await server.admin("POST", "/jobs/drain");
      const mine = await waitFor("2 callbacks", async () => {
        const d = rx.got.filter((x) => x.EventData?.TaskId === TaskId);
        return d.length >= 2 ? d : undefined;
      });
      assert.deepEqual(
        mine.map((d) => d.EventType),
        ["OfflineRecordProgressChanged", "OfflineRecordFinished"],
      );
      for (const d of mine) assert.equal(d.Sign, md5(`video-key${d.ExpireTime}`));
      assert.deepEqual(mine[0]!.EventData, { TaskId, RoomId: 900822, Progress: 50 });
      assert.equal(mine[1]!.EventData.Progress, 100);
      assert.equal(mine[1]!.EventData.RecordStartTime, record.RecordStartTime);
      assert.deepEqual(mine[1]!.EventData.VideoInfos, done.VideoInfoList);
    });

    test("the simulated generator; a failed generation answers FailedOperation.Record; the errors", async () => {
      const app = await tiwApp(server);
      const recordId = await finishedRecording(app, "VIDEO_GENERATION_MODE");
      let stop = runSimulator(tiwVideoGenerationSimulator, server, app.worker);
      try {
        const { TaskId } = await c.CreateVideoGenerationTask({ SdkAppId: app.appId, OnlineRecordTaskId: recordId });
        const done = await waitFor("FINISHED", async () => {
          const d = await c.DescribeVideoGenerationTask({ SdkAppId: app.appId, TaskId: TaskId! });
          return d.Status === "FINISHED" ? d : undefined;
        });
        // The recording's Concat cut the 20 s pause out.
        const record = await c.DescribeOnlineRecord({ SdkAppId: app.appId, TaskId: recordId });
        assert.equal(done.TotalTime, record.TotalTime);
        assert.equal(done.VideoInfoList![0]!.VideoDuration, record.TotalTime);
      } finally {
        await stop();
      }
      stop = runSimulator(tiwVideoGenerationSimulator, server, app.worker, { failureRate: 1 });
      try {
        const { TaskId } = await c.CreateVideoGenerationTask({ SdkAppId: app.appId, OnlineRecordTaskId: recordId });
        const err = await waitFor("FailedOperation.Record", async () => {
          const e = await sdkError(c.DescribeVideoGenerationTask({ SdkAppId: app.appId, TaskId: TaskId! }));
          return e.code === "FailedOperation.Record" ? e : undefined;
        });
        assert.match(err.message, /^code: 40011, msg: .*replay data could not be read\n$/);
      } finally {
        await stop();
      }

      const realtime = await finishedRecording(app, "REALTIME_MODE");
      const code = async (req: Record<string, unknown>) =>
        (await sdkError(c.CreateVideoGenerationTask({ SdkAppId: app.appId, ...req } as never))).code;
      assert.equal(await code({ OnlineRecordTaskId: realtime }), "FailedOperation");
      assert.equal(await code({ OnlineRecordTaskId: "nosuchtask0000000000" }), "InvalidParameter.RecordParameter");
      assert.equal(await code({ OnlineRecordTaskId: recordId, ExtraData: "x" }), "InvalidParameter.InvalidExtra");
      assert.equal(await code({ SdkAppId: 1, OnlineRecordTaskId: recordId }), "InvalidParameter.SdkAppIdNotFound");
      const { TaskId: unfinished } = await c.StartOnlineRecord({
        SdkAppId: app.appId,
        RoomId: 1,
        RecordUserId: recordUser(),
        RecordUserSig: "s",
        RecordMode: "VIDEO_GENERATION_MODE",
      });
      assert.equal(await code({ OnlineRecordTaskId: unfinished }), "FailedOperation");
      assert.equal(
        (await sdkError(c.DescribeVideoGenerationTask({ SdkAppId: app.appId, TaskId: "nosuchtask0000000000" }))).code,
        "InvalidParameter.TaskNotFound",
      );
      assert.equal((await sdkError(c.DescribeVideoGenerationTask({ SdkAppId: 1, TaskId: "x" }))).code, "UnauthorizedOperation.SdkAppId");
    });

    test("snapshots: Running → Finished with the images, told to CallbackURL; the errors", async () => {
      const app = await tiwApp(server);
      const { TaskID } = await c.CreateSnapshotTask({
        SdkAppId: app.appId,
        RoomId: 12345,
        Whiteboard: { Width: 1280, Height: 720, InitParams: '{"ratio":"16:9"}' },
        COS: { Uin: 130001358, Region: "ap-guangzhou", Bucket: "test-123070000", TargetDir: "snapshot/", Domain: "xxx.file.com" },
        CallbackURL: rx.url,
      });
      assert.match(TaskID!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const running = await c.DescribeSnapshotTask({ SdkAppId: app.appId, TaskID: TaskID! });
      assert.equal(running.Status, "Running");
      assert.equal(running.TaskID, TaskID);
      assert.ok(running.CreateTime! > 0);
      assert.equal(running.FinishTime, null);
      assert.equal(running.Result, null);

      const stop = runSimulator(tiwSnapshotSimulator, server, app.worker);
      try {
        const done = await waitFor("Finished", async () => {
          const d = await c.DescribeSnapshotTask({ SdkAppId: app.appId, TaskID: TaskID! });
          return d.Status === "Finished" ? d : undefined;
        });
        assert.ok(done.FinishTime! >= done.CreateTime!);
        assert.equal(done.Result!.ErrorCode, "OK");
        assert.equal(done.Result!.ErrorMessage, "");
        assert.equal(done.Result!.Total, 3);
        assert.equal(done.Result!.Snapshots!.length, 3);
        await server.admin("POST", "/jobs/drain");
        const told = await waitFor("snapshot callback", async () => rx.got.find((x) => x.TaskID === TaskID));
        assert.deepEqual(told, { SdkAppId: app.appId, ...JSON.parse(JSON.stringify({ ...done, RequestId: undefined })) });
      } finally {
        await stop();
      }

      const base = { SdkAppId: app.appId, RoomId: 1, Whiteboard: {} };
      assert.equal((await sdkError(c.CreateSnapshotTask({ ...base, CallbackURL: "ftp://x" }))).code, "InvalidParameter");
      assert.equal((await sdkError(c.CreateSnapshotTask({ ...base, Whiteboard: { Width: 2561 } }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.CreateSnapshotTask({ ...base, SnapshotMode: "SomeMarks" }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.CreateSnapshotTask({ ...base, SdkAppId: 1 }))).code, "UnauthorizedOperation.SdkAppId");
      assert.equal(
        (await sdkError(c.DescribeSnapshotTask({ SdkAppId: app.appId, TaskID: "f2e1728c-6e87-4481-abe1-cde8542a5a10" }))).code,
        "InvalidParameter",
      );
    });
  });
}
