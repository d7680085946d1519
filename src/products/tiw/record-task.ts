// The online recording task and its state machine, as pure functions (no HTTP, no SQL). The
// states are the ones DescribeOnlineRecord documents:
//
//   PREPARED ──recorder's first frame──► RECORDING ◄──Pause/Resume──► PAUSED
//      │                                    │                            │
//      └──── stop (USER_CALL / AUTO / FORCE_STOP) confirmed by the recorder ──► STOPPED
//                                                                         │ (uploading)
//                          recorder's `finished` (its videos) / failure ──► FINISHED
//
// As for the push, a stop asked for while a recorder holds the task is only *requested*
// (stopReason) until the recorder confirms on its next heartbeat. A task no recorder ever
// held goes straight to FINISHED (nothing was recorded, nothing to upload).
// Pause and resume belong to the control plane: the recorder records on, and the pauses
// become OmittedDurations (cut out of the result when Concat is enabled).

export type RecordStatus = "PREPARED" | "RECORDING" | "PAUSED" | "STOPPED" | "FINISHED";
export type RecordFinishReason = "USER_CALL" | "AUTO" | "EXCEPTION" | "FORCE_STOP";
export type RecordMode = "REALTIME_MODE" | "VIDEO_GENERATION_MODE";

/** The cloud's limits behind FORCE_STOP: a pause of more than 90 minutes, a recording of more than 24 hours. */
export const MAX_PAUSE_MS = 90 * 60_000;
export const MAX_RECORDING_MS = 24 * 3600_000;

export interface OmittedDuration {
  VideoTime: number;
  PauseTime: number;
  ResumeTime: number;
}

/** A video as DescribeOnlineRecord / DescribeVideoGenerationTask answer it (the SDK's VideoInfo). */
export interface VideoInfo {
  VideoPlayTime: number;
  VideoSize: number;
  VideoFormat: string;
  VideoDuration: number;
  VideoUrl: string;
  VideoId: string;
  VideoType: number;
  UserId: string;
  Width: number;
  Height: number;
}

export interface RecordTask {
  appId: string;
  taskId: string;
  roomId: number;
  groupId: string;
  recordUserId: string;
  trtcRoom: string;
  recordMode: RecordMode;
  concatEnabled: boolean;
  autoStopTimeoutS: number;
  params: Record<string, unknown>;
  status: RecordStatus;
  stopReason: RecordFinishReason | null;
  finishReason: RecordFinishReason | null;
  recordStartTime: number | null;
  recordStopTime: number | null;
  pausedAt: number | null;
  omitted: OmittedDuration[];
  totalTime: number;
  exceptionCnt: number;
  errorCode: string | null;
  errorMessage: string | null;
  interrupts: Record<string, number>;
  videoInfos: VideoInfo[];
  replayUrl: string | null;
  lastActivity: number;
  createdAt: number;
  finishedAt: number | null;
}

/** Still in the room (the record user busy, counted against the concurrency limit). */
export const isActive = (s: RecordStatus): boolean => s === "PREPARED" || s === "RECORDING" || s === "PAUSED";

/** Stopped, or asked to stop: Stop/Pause/Resume answer UnsupportedOperation.TaskHasAlreadyStopped. */
export const isStopping = (t: RecordTask): boolean => !isActive(t.status) || t.stopReason !== null;

const seconds = (ms: number | null): number => (ms === null ? 0 : Math.floor(ms / 1000));

/** Paused time already cut out of the video before `at` (closed pauses only). */
function omittedBefore(t: RecordTask, at: number): number {
  return t.omitted.filter((o) => o.ResumeTime <= at).reduce((sum, o) => sum + (o.ResumeTime - o.PauseTime), 0);
}

/**
 * The pause that ends at `at` (a resume, or the stop of a paused recording), as an
 * OmittedDuration: VideoTime is where in the concatenated video the pause falls.
 */
export function closePause(t: RecordTask, at: number): OmittedDuration | null {
  if (t.pausedAt === null) return null;
  const start = t.recordStartTime ?? t.pausedAt;
  return { VideoTime: Math.max(0, t.pausedAt - start - omittedBefore(t, t.pausedAt)), PauseTime: t.pausedAt, ResumeTime: at };
}

/**
 * The playback length of the result: the recording's span, less the pauses when Concat cut
 * them out (without Concat the pauses split the result into several videos on one timeline).
 */
export function totalTimeOf(t: RecordTask, stopAt: number): number {
  if (t.recordStartTime === null) return 0;
  const span = Math.max(0, stopAt - t.recordStartTime);
  return t.concatEnabled ? Math.max(0, span - omittedBefore(t, stopAt + 1)) : span;
}

/** A failed recording's error text, in the cloud's format (DescribeOnlineRecord's example 2). */
export const recordFailureMessage = (code: string, message: string): string => `code: ${code}, msg: ${message}\n`;

/**
 * A recording that failed before its first frame has no result: DescribeOnlineRecord answers
 * FailedOperation.Record with the recorder's error, as the cloud's example 2 does.
 */
export const failedBeforeStart = (t: RecordTask): boolean =>
  t.status === "FINISHED" && t.finishReason === "EXCEPTION" && t.recordStartTime === null && t.errorCode !== null;

/** DescribeOnlineRecord's answer for a task that has one (see failedBeforeStart). */
export function describeRecord(t: RecordTask): Record<string, unknown> {
  const stopped = t.status === "STOPPED" || t.status === "FINISHED";
  return {
    // Known once the recording has stopped; "" before, as the push answers.
    FinishReason: stopped ? (t.finishReason ?? "") : "",
    TaskId: t.taskId,
    Status: t.status,
    RoomId: t.roomId,
    GroupId: t.groupId,
    RecordUserId: t.recordUserId,
    RecordStartTime: seconds(t.recordStartTime),
    RecordStopTime: seconds(t.recordStopTime),
    TotalTime: t.status === "FINISHED" ? t.totalTime : 0,
    ExceptionCnt: t.exceptionCnt,
    // "Only meaningful when Concat is enabled": without it, always [].
    OmittedDurations: t.concatEnabled ? t.omitted : [],
    VideoInfos: t.status === "FINISHED" ? t.videoInfos : [],
    // The SDK allows null: a realtime recording has no replay URL (video generation mode only).
    ReplayUrl: t.recordMode === "VIDEO_GENERATION_MODE" && t.status === "FINISHED" ? (t.replayUrl ?? null) : null,
    Interrupts: Object.entries(t.interrupts).map(([UserId, Count]) => ({ UserId, Count })),
  };
}

export const startedEventData = (t: RecordTask) => ({ TaskId: t.taskId, RoomId: t.roomId, RecordUserId: t.recordUserId });
export const stoppedEventData = startedEventData;

export function finishedEventData(t: RecordTask): Record<string, unknown> {
  const data: Record<string, unknown> = {
    TaskId: t.taskId,
    RoomId: t.roomId,
    GroupId: t.groupId,
    RecordUserId: t.recordUserId,
    FinishReason: t.finishReason ?? "",
    RecordStartTime: seconds(t.recordStartTime),
    RecordStopTime: seconds(t.recordStopTime),
    TotalTime: t.totalTime,
    ExceptionCnt: t.exceptionCnt,
    OmittedDurations: t.concatEnabled ? t.omitted : [],
    VideoInfos: t.videoInfos,
  };
  if (t.recordMode === "VIDEO_GENERATION_MODE" && t.replayUrl) data.ReplayUrl = t.replayUrl;
  if (t.finishReason === "EXCEPTION" && t.errorCode !== null) {
    data.Error = { Code: "FailedOperation.Record", Message: recordFailureMessage(t.errorCode, t.errorMessage ?? "") };
  }
  return data;
}

/**
 * When the watchdog must look at the task next, and why: AUTO (no activity for
 * AutoStopTimeout, not while paused), FORCE_STOP (paused 90 minutes, recording 24 hours).
 */
export function nextCheck(t: RecordTask): { at: number; reason: RecordFinishReason } {
  const due: { at: number; reason: RecordFinishReason }[] = [];
  if (t.pausedAt !== null) due.push({ at: t.pausedAt + MAX_PAUSE_MS, reason: "FORCE_STOP" });
  else due.push({ at: t.lastActivity + t.autoStopTimeoutS * 1000, reason: "AUTO" });
  if (t.recordStartTime !== null) due.push({ at: t.recordStartTime + MAX_RECORDING_MS, reason: "FORCE_STOP" });
  return due.reduce((a, b) => (b.at < a.at ? b : a));
}
