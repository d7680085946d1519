// TIW online recording, running tasks, video generation, snapshots and the callback settings
// of each family: every action driven to an answer with its lists and optional structures
// filled (a recorder, generator and snapshot worker played by hand over the agent protocol
// where a task must run), and the official examples' request shapes where they mean something.
import { tiwApp, validSig, worker } from "../../tiw/helpers.ts";
import { cases, type ParityContext } from "../case.ts";

let users = 0;
const recordUser = (room: number) => `tic_record_user_${room}_${process.pid}_p${++users}`;

/** The official example's request (RoomId 1203), for an app of ours. */
const startRequest = (appId: number, extra: Record<string, unknown> = {}) => {
  const user = recordUser(1203);
  return { SdkAppId: appId, RoomId: 1203, RecordUserId: user, RecordUserSig: validSig(appId, user), ...extra };
};

const video = (startTime: number, userId: string, videoType: number) => ({
  userId,
  videoType,
  startTime,
  duration: 17969,
  size: 593418,
  format: "mp4",
  url: `https://online-recording.example/${userId || "whiteboard"}.mp4`,
  videoId: `${userId || "whiteboard"}-video`,
  width: 640,
  height: 360,
});

/**
 * A recording run by hand: started, an interrupted stream, paused and resumed (Concat, so the
 * pause is an OmittedDuration), then `end`: "stop" (stopped, the result reported) or "none".
 */
async function recording(ctx: ParityContext, mode: "REALTIME_MODE" | "VIDEO_GENERATION_MODE", end: "finish" | "none") {
  const app = await tiwApp(ctx.server);
  const { TaskId } = await ctx.call(
    "StartOnlineRecord",
    startRequest(app.appId, { RecordMode: mode, Concat: { Enabled: true }, GroupId: "880528" }),
  );
  const w = worker(ctx.server, app.worker, `parity-recorder-${TaskId}`);
  await w.claim("tiw-record");
  const started = Date.now();
  // No report times: the shared server's clock runs ahead of the wall clock (other cases advance it).
  await w.report(TaskId, [{ type: "started" }, { type: "interrupt", data: { userId: "Mac_trtc_04" } }]);
  await ctx.call("PauseOnlineRecord", { SdkAppId: app.appId, TaskId });
  await ctx.call("ResumeOnlineRecord", { SdkAppId: app.appId, TaskId });
  if (end === "finish") {
    await ctx.call("StopOnlineRecord", { SdkAppId: app.appId, TaskId });
    await w.heartbeat(TaskId);
    const videos = mode === "REALTIME_MODE" ? [video(started, "Mac_trtc_04", 0), video(started + 623, "", 2)] : [];
    await w.report(TaskId, [
      { type: "stopped" },
      { type: "finished", data: { videos, ...(mode === "VIDEO_GENERATION_MODE" ? { replayUrl: "http://replayurl" } : {}) } },
    ]);
  }
  return { app, taskId: TaskId as string };
}

const callbackCases = (family: "OnlineRecord" | "VideoGenerationTask") => [
  {
    action: `Set${family}Callback`,
    async run(ctx: ParityContext) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call(`Set${family}Callback`, { SdkAppId: appId, Callback: "https://example.com/online/callback" });
    },
  },
  {
    action: `Set${family}CallbackKey`,
    async run(ctx: ParityContext) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call(`Set${family}CallbackKey`, { SdkAppId: appId, CallbackKey: "6vg9G7Fd" });
    },
  },
  {
    action: `Describe${family}Callback`,
    name: "the official example: both set",
    async run(ctx: ParityContext) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call(`Set${family}Callback`, { SdkAppId: appId, Callback: "https://example.com/online/callback" });
      await ctx.call(`Set${family}CallbackKey`, { SdkAppId: appId, CallbackKey: "6vg9G7Fd" });
      await ctx.call(`Describe${family}Callback`, { SdkAppId: appId });
    },
    populated: ["Callback", "CallbackKey"],
  },
];

export default cases([
  {
    action: "DescribeRunningTasks",
    name: "the official example: a running whiteboard push",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      const user = `tic_push_user_${process.pid}_p${++users}`;
      await ctx.call("StartWhiteboardPush", { SdkAppId: appId, RoomId: 12345, PushUserId: user, PushUserSig: validSig(appId, user) });
      await ctx.call("DescribeRunningTasks", { SdkAppID: appId, TaskType: "WhiteboardPush" });
    },
    populated: [
      "Total",
      "Tasks[].TaskID",
      "Tasks[].TaskType",
      "Tasks[].CreateTime",
      "Tasks[].CancelTime",
      "Tasks[].Status",
      "Tasks[].Progress",
      "Tasks[].RoomID",
      "Tasks[].FileURL",
      "Tasks[].SdkAppID",
    ],
  },
  {
    action: "DescribeRunningTasks",
    name: "a recording in progress, paged",
    async run(ctx) {
      const { app } = await recording(ctx, "REALTIME_MODE", "none");
      await ctx.call("DescribeRunningTasks", { SdkAppID: app.appId, TaskType: "OnlineRecord", Offset: 0, Limit: 10 });
    },
    populated: ["Tasks[].TaskID", "Tasks[].Status", "Tasks[].RoomID"],
  },
  {
    action: "StartOnlineRecord",
    name: "the official example with mixing",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call(
        "StartOnlineRecord",
        startRequest(appId, {
          Whiteboard: { Width: 1280, Height: 960, InitParam: '{"ratio":"16:9"}' },
          Concat: { Enabled: true, Image: "http://background/image.jpg" },
          MixStream: { Enabled: true, DisableAudio: false, ModelId: 2, TeacherId: "teacher" },
          Extras: ["MIX_STREAM"],
        }),
      );
    },
    populated: ["TaskId"],
  },
  {
    action: "PauseOnlineRecord",
    async run(ctx) {
      const { app, taskId } = await recording(ctx, "REALTIME_MODE", "none");
      await ctx.call("PauseOnlineRecord", { SdkAppId: app.appId, TaskId: taskId });
    },
  },
  {
    action: "ResumeOnlineRecord",
    async run(ctx) {
      await recording(ctx, "REALTIME_MODE", "none"); // pauses and resumes
    },
  },
  {
    action: "StopOnlineRecord",
    async run(ctx) {
      const { app, taskId } = await recording(ctx, "REALTIME_MODE", "none");
      await ctx.call("StopOnlineRecord", { SdkAppId: app.appId, TaskId: taskId });
    },
  },
  {
    action: "DescribeOnlineRecord",
    name: "the official example: a finished recording with its videos",
    async run(ctx) {
      const { app, taskId } = await recording(ctx, "REALTIME_MODE", "finish");
      await ctx.call("DescribeOnlineRecord", { SdkAppId: app.appId, TaskId: taskId });
    },
    // ReplayUrl is null for a realtime recording (the model allows it; video generation mode has one).
    populated: [
      "FinishReason",
      "TaskId",
      "Status",
      "RoomId",
      "GroupId",
      "RecordUserId",
      "RecordStartTime",
      "RecordStopTime",
      "TotalTime",
      "OmittedDurations[].VideoTime",
      "OmittedDurations[].PauseTime",
      "OmittedDurations[].ResumeTime",
      "VideoInfos[].VideoUrl",
      "VideoInfos[].VideoId",
      "VideoInfos[].Width",
      "Interrupts[].UserId",
      "Interrupts[].Count",
    ],
  },
  {
    action: "DescribeOnlineRecord",
    name: "video generation mode: a replay URL, no videos",
    async run(ctx) {
      const { app, taskId } = await recording(ctx, "VIDEO_GENERATION_MODE", "finish");
      await ctx.call("DescribeOnlineRecord", { SdkAppId: app.appId, TaskId: taskId });
    },
    populated: ["ReplayUrl", "OmittedDurations[].VideoTime"],
  },
  ...callbackCases("OnlineRecord"),
  {
    action: "CreateVideoGenerationTask",
    name: "the official example",
    async run(ctx) {
      const { app, taskId } = await recording(ctx, "VIDEO_GENERATION_MODE", "finish");
      await ctx.call("CreateVideoGenerationTask", { SdkAppId: app.appId, OnlineRecordTaskId: taskId });
    },
    populated: ["TaskId"],
  },
  {
    action: "DescribeVideoGenerationTask",
    name: "the official example: finished with a whiteboard video",
    async run(ctx) {
      const { app, taskId } = await recording(ctx, "VIDEO_GENERATION_MODE", "finish");
      const { TaskId } = await ctx.call("CreateVideoGenerationTask", {
        SdkAppId: app.appId,
        OnlineRecordTaskId: taskId,
        Whiteboard: { Width: 1024, Height: 768 },
      });
      const g = worker(ctx.server, app.worker, `parity-generator-${TaskId}`);
      const claimed = await g.claim<{ RecordStartTime: number; TotalTime: number }>("tiw-video-generation");
      const spec = claimed.task!.spec;
      await g.report(TaskId, [
        { type: "started" },
        { type: "progress", data: { progress: 50 } },
        {
          type: "finished",
          data: { videos: [{ ...video(spec.RecordStartTime, "", 2), duration: spec.TotalTime, width: 1024, height: 768 }] },
        },
      ]);
      await ctx.call("DescribeVideoGenerationTask", { SdkAppId: app.appId, TaskId });
    },
    populated: [
      "GroupId",
      "RoomId",
      "TaskId",
      "Progress",
      "Status",
      "TotalTime",
      "VideoInfos.VideoUrl",
      "VideoInfoList[].VideoUrl",
      "VideoInfoList[].VideoDuration",
    ],
  },
  ...callbackCases("VideoGenerationTask"),
  {
    action: "CreateSnapshotTask",
    name: "the official example",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call("CreateSnapshotTask", {
        COS: { TargetDir: "snapshot/", Region: "ap-guangzhou", Bucket: "test-123070000", Domain: "xxx.file.com", Uin: 130001358 },
        Whiteboard: { Width: 1280, InitParams: '{"ratio":"16:9"}', Height: 720 },
        RoomId: 12345,
        SdkAppId: appId,
        CallbackURL: "http://127.0.0.1:9/callback",
      });
    },
    populated: ["TaskID"],
  },
  {
    action: "DescribeSnapshotTask",
    name: "the official example: finished with three images",
    async run(ctx) {
      const app = await tiwApp(ctx.server);
      const { TaskID } = await ctx.call("CreateSnapshotTask", { SdkAppId: app.appId, RoomId: 880520, Whiteboard: {} });
      const w = worker(ctx.server, app.worker, `parity-snapshot-${TaskID}`);
      await w.claim("tiw-snapshot");
      await w.report(
        TaskID,
        [1, 2, 3].map((i) => ({ type: "snapshot", data: { url: `http://tiw-snapshot.example/880520/${TaskID}/${i}.png` } })),
      );
      await w.report(TaskID, [{ type: "finished" }]);
      await ctx.call("DescribeSnapshotTask", { SdkAppId: app.appId, TaskID });
    },
    populated: ["TaskID", "Status", "CreateTime", "FinishTime", "Result.ErrorCode", "Result.Total", "Result.Snapshots"],
  },
  {
    action: "DescribeSnapshotTask",
    name: "running: FinishTime and Result null, as the model allows",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      const { TaskID } = await ctx.call("CreateSnapshotTask", { SdkAppId: appId, RoomId: 880520, Whiteboard: {} });
      await ctx.call("DescribeSnapshotTask", { SdkAppId: appId, TaskID });
    },
    populated: ["TaskID", "Status", "CreateTime"],
  },
  {
    action: "SetWarningCallback",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call("SetWarningCallback", { SdkAppId: appId, Callback: "http://callback", CallbackKey: "12345" });
    },
  },
  {
    action: "DescribeWarningCallback",
    name: "the official example: both set",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call("SetWarningCallback", { SdkAppId: appId, Callback: "http://callback", CallbackKey: "12345" });
      await ctx.call("DescribeWarningCallback", { SdkAppId: appId });
    },
    populated: ["Callback", "CallbackKey"],
  },
]);
