// The "tiw-video-generation" task kind of the agent protocol: what a video generator
// reports and what each report, or the loss of a generator, does to the task; and the
// callbacks (OfflineRecordProgressChanged / OfflineRecordFinished, under the video
// generation callback settings) they cause.
//
//   started  {}                      QUEUED → PROCESSING
//   progress {progress}              Progress (0-100; the field is deprecated, the callback is not)
//   finished {videos}                FINISHED with the videos, the task done
//   failed   {code, message}         FINISHED with the error, the task done
import { Type, type Static } from "@sinclair/typebox";
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { finishTask, type AgentKind } from "../../agent/tasks.ts";
import { enqueueCallback } from "../../callbacks/tencent-callback.ts";
import { VIDEO_GENERATION_CALLBACKS } from "./callback-settings.ts";
import { lockVideoGeneration, saveVideoGeneration } from "./video-generation-store.ts";
import { finishedEventData, progressEventData, type VideoGenerationTask } from "./video-generation-task.ts";
import { videoInfo, VideoList } from "./record-agent-kind.ts";
import { WORKER_LOST_CODE } from "./push-agent-kind.ts";
import { messageTime } from "./push-task.ts";

export const TIW_VIDEO_GENERATION_KIND = "tiw-video-generation";

/** What CreateVideoGenerationTask hands the generator (see create-video-generation-task.ts). */
export interface VideoGenerationSpec {
  SdkAppId: number;
  OnlineRecordTaskId: string;
  RoomId: number;
  GroupId: string;
  ReplayUrl: string;
  /** Unix ms of the recording's first frame and of its stop. */
  RecordStartTime: number;
  RecordStopTime: number;
  /** The playback length of the result (the recording's span, less the pauses with Concat). */
  TotalTime: number;
  Whiteboard: { Width: number; Height: number; InitParam: string };
  Concat: { Enabled: boolean; Image?: string };
  MixStream: Record<string, unknown>;
  RecordControl: Record<string, unknown>;
}

const ErrorData = Type.Object(
  {
    code: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 64 })]),
    message: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);

async function finish(
  ctx: ProductContext,
  tx: Queryable,
  t: VideoGenerationTask,
  spec: VideoGenerationSpec,
  at: number,
  result: { videos: VideoGenerationTask["videoInfos"] } | { error: { code: string; message: string } },
): Promise<void> {
  await finishTask(tx, t.appId, t.taskId, ctx.clock.now());
  const done: VideoGenerationTask =
    "videos" in result
      ? { ...t, status: "FINISHED", progress: 100, totalTime: spec.TotalTime, videoInfos: result.videos, finishedAt: at }
      : { ...t, status: "FINISHED", errorCode: result.error.code, errorMessage: result.error.message, finishedAt: at };
  await saveVideoGeneration(tx, done);
  await enqueueCallback(ctx, tx, {
    appId: t.appId,
    product: VIDEO_GENERATION_CALLBACKS,
    eventType: "OfflineRecordFinished",
    eventData: finishedEventData(done, Math.floor(spec.RecordStartTime / 1000)),
  });
}

export const tiwVideoGenerationKind: AgentKind = {
  kind: TIW_VIDEO_GENERATION_KIND,
  product: "tiw",
  reports: {
    started: Type.Object({}, { additionalProperties: false }),
    progress: Type.Object({ progress: Type.Integer({ minimum: 0, maximum: 100 }) }, { additionalProperties: false }),
    finished: Type.Object({ videos: VideoList }, { additionalProperties: false }),
    failed: ErrorData,
  },

  async onReport(tx, agentTask, report, ctx) {
    const task = await lockVideoGeneration(tx, agentTask.appId, agentTask.taskId);
    if (!task || task.status === "FINISHED") return;
    const spec = agentTask.spec as unknown as VideoGenerationSpec;
    const at = report.time ?? ctx.clock.now();
    const data = (report.data ?? {}) as Record<string, unknown>;
    switch (report.type) {
      case "started":
        if (task.status === "QUEUED") await saveVideoGeneration(tx, { ...task, status: "PROCESSING" });
        return;
      case "progress": {
        const progressed: VideoGenerationTask = { ...task, status: "PROCESSING", progress: Number(data.progress) };
        await saveVideoGeneration(tx, progressed);
        await enqueueCallback(ctx, tx, {
          appId: task.appId,
          product: VIDEO_GENERATION_CALLBACKS,
          eventType: "OfflineRecordProgressChanged",
          eventData: progressEventData(progressed),
        });
        return;
      }
      case "finished": {
        const videos = (data.videos as Static<typeof VideoList>).map((v) => videoInfo(v, spec.RecordStartTime));
        await finish(ctx, tx, task, spec, at, { videos });
        return;
      }
      case "failed":
        await finish(ctx, tx, task, spec, at, { error: { code: String(data.code), message: String(data.message) } });
        return;
    }
  },

  async onLeaseExpired(tx, agentTask, final, ctx) {
    const task = await lockVideoGeneration(tx, agentTask.appId, agentTask.taskId);
    if (!task || task.status === "FINISHED") return;
    if (!final) {
      // Back in the queue: another generator starts over.
      await saveVideoGeneration(tx, { ...task, status: "QUEUED", progress: 0 });
      return;
    }
    const now = ctx.clock.now();
    await finish(ctx, tx, task, agentTask.spec as unknown as VideoGenerationSpec, now, {
      error: {
        code: WORKER_LOST_CODE,
        message: `${messageTime(now)}, roomledger: the video generator stopped heartbeating (attempt ${agentTask.attempts} of ${agentTask.maxAttempts})`,
      },
    });
  },
};
