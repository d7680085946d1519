// The "tiw-record" task kind of the agent protocol: what a recorder reports and what each
// report, or the loss of a recorder, does to the recording.
//
//   started   {}                     first frame recorded: PREPARED → RECORDING (RecordStartTime = report time)
//   exception {code, message}        something went wrong, the recording goes on: ExceptionCnt + 1
//   interrupt {userId}               a user's video stream broke off: Interrupts[userId] + 1
//   stopped   {}                     confirms a stop asked on a heartbeat: STOPPED (RecordStopTime = report time)
//   finished  {videos, replayUrl?}   after `stopped`: the uploaded result: FINISHED, the task done
//   failed    {code, message}        the recording cannot go on: FINISHED, EXCEPTION, the error kept
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import { finishTask, type AgentKind } from "../../agent/tasks.ts";
import { lockRecord, saveRecord } from "./record-store.ts";
import type { RecordTask, VideoInfo } from "./record-task.ts";
import { messageTime } from "./push-task.ts";
import { failRecord, finishRecord, markRecordStopped, notifyRecordStarted, TIW_RECORD_KIND } from "./record-transitions.ts";
import { WORKER_LOST_CODE } from "./push-agent-kind.ts";

const ErrorData = Type.Object(
  {
    code: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 64 })]),
    message: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/** One result file as a recorder or a video generator reports it. */
export const VideoReport = Type.Object(
  {
    userId: Type.String({ maxLength: 128, description: '"" for the whiteboard video' }),
    videoType: Type.Integer({ minimum: 0, maximum: 4, description: "0 camera, 1 screen, 2 whiteboard, 3 mixed, 4 audio only (mp3)" }),
    startTime: Type.Integer({ minimum: 0, description: "Unix ms of the file's first frame" }),
    duration: Type.Integer({ minimum: 0, description: "ms" }),
    size: Type.Integer({ minimum: 0, description: "bytes" }),
    format: Type.String({ minLength: 1, maxLength: 16 }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    videoId: Type.String({ minLength: 1, maxLength: 128 }),
    width: Type.Integer({ minimum: 0 }),
    height: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export const VideoList = Type.Array(VideoReport, { maxItems: 1000 });

/** The SDK's VideoInfo of a reported file; VideoPlayTime is its offset from `origin` (the recording's start). */
export function videoInfo(v: Static<typeof VideoReport>, origin: number): VideoInfo {
  return {
    VideoPlayTime: Math.max(0, v.startTime - origin),
    VideoSize: v.size,
    VideoFormat: v.format,
    VideoDuration: v.duration,
    VideoUrl: v.url,
    VideoId: v.videoId,
    VideoType: v.videoType,
    UserId: v.userId,
    Width: v.width,
    Height: v.height,
  };
}

const conflict = (code: string, message: string) => new ApiError(code, { message, httpStatus: 409 });

export const tiwRecordKind: AgentKind = {
  kind: TIW_RECORD_KIND,
  product: "tiw",
  reports: {
    started: Type.Object({}, { additionalProperties: false }),
    exception: ErrorData,
    interrupt: Type.Object({ userId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
    stopped: Type.Object({}, { additionalProperties: false }),
    finished: Type.Object(
      { videos: VideoList, replayUrl: Type.Optional(Type.String({ maxLength: 2048 })) },
      { additionalProperties: false },
    ),
    failed: ErrorData,
  },

  async onReport(tx, agentTask, report, ctx) {
    const task = await lockRecord(tx, agentTask.appId, agentTask.taskId);
    // A report after the end (a late one in the same batch) changes nothing.
    if (!task || task.status === "FINISHED") return;
    const at = report.time ?? ctx.clock.now();
    const data = (report.data ?? {}) as Record<string, unknown>;
    switch (report.type) {
      case "started": {
        // A recorder that took the task over starts again: the first frame stays the first.
        if (task.status !== "PREPARED") return;
        const started: RecordTask = { ...task, status: "RECORDING", recordStartTime: at };
        await saveRecord(tx, started);
        await notifyRecordStarted(ctx, tx, started);
        return;
      }
      case "exception":
        await saveRecord(tx, {
          ...task,
          exceptionCnt: task.exceptionCnt + 1,
          errorCode: String(data.code),
          errorMessage: String(data.message),
        });
        return;
      case "interrupt": {
        const userId = String(data.userId);
        await saveRecord(tx, { ...task, interrupts: { ...task.interrupts, [userId]: (task.interrupts[userId] ?? 0) + 1 } });
        return;
      }
      case "stopped":
        if (task.status === "STOPPED") return; // confirmed twice: once is enough
        if (!agentTask.stopRequested) {
          throw conflict(
            "StopNotRequested",
            "`stopped` confirms a stop asked for on a heartbeat; this task was not asked to stop (report `failed` to end it)",
          );
        }
        await markRecordStopped(ctx, tx, task, task.stopReason ?? "USER_CALL", at);
        return;
      case "finished": {
        if (task.status !== "STOPPED") {
          throw conflict("NotStopped", "`finished` hands over the result of a stopped recording; confirm the stop with `stopped` first");
        }
        const videos = (data.videos as Static<typeof VideoList>).map((v) => videoInfo(v, task.recordStartTime ?? v.startTime));
        await finishTask(tx, task.appId, task.taskId, ctx.clock.now());
        await finishRecord(ctx, tx, task, task.finishReason ?? "USER_CALL", at, {
          videos,
          replayUrl: typeof data.replayUrl === "string" ? data.replayUrl : null,
        });
        return;
      }
      case "failed":
        await failRecord(ctx, tx, task, at, { code: String(data.code), message: String(data.message) });
        return;
    }
  },

  async onLeaseExpired(tx, agentTask, final, ctx) {
    const task = await lockRecord(tx, agentTask.appId, agentTask.taskId);
    if (!task || task.status === "FINISHED") return;
    const now = ctx.clock.now();
    const lost = {
      code: WORKER_LOST_CODE,
      message: `${messageTime(now)}, roomledger: the recorder stopped heartbeating (attempt ${agentTask.attempts} of ${agentTask.maxAttempts})`,
    };
    // Final, or lost while uploading (another recorder cannot upload the files it never had):
    // the recording ends here, with what it has (nothing).
    if (final || task.status === "STOPPED") {
      await failRecord(ctx, tx, task, now, lost);
      return;
    }
    // Offered to another recorder; the interruption counts as an exception.
    await saveRecord(tx, { ...task, exceptionCnt: task.exceptionCnt + 1, errorCode: lost.code, errorMessage: lost.message });
  },
};
