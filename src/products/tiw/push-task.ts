// The whiteboard push task and its state machine, as pure functions (no HTTP, no SQL).
//
//   PREPARED ──worker reports its first frame──► PUSHING
//      │                                            │
//      └──── stop (USER_CALL / AUTO), final failure (EXCEPTION) ───► STOPPED
//
// A stop asked for while a worker holds the task is only *requested* (stopReason): the
// worker learns it on its next heartbeat and confirms, and only then is the task STOPPED,
// with PushStopTime at the confirmation.

import { lowerAlnum } from "../../ids.ts";

/** The cloud's TaskIds of pushes, recordings and video generations: 20 lowercase letters and digits ("ghucnligqtgtvk2624mb"). */
export const newTaskId = (): string => lowerAlnum(20);

export type PushStatus = "PREPARED" | "PUSHING" | "STOPPED";
export type FinishReason = "USER_CALL" | "AUTO" | "EXCEPTION";

export interface PushTask {
  appId: string;
  taskId: string;
  roomId: number;
  groupId: string;
  pushUserId: string;
  trtcRoom: string;
  backupOf: string | null;
  backupTaskId: string | null;
  autoManageBackup: boolean;
  autoStopTimeoutS: number;
  status: PushStatus;
  stopReason: FinishReason | null;
  finishReason: FinishReason | null;
  /** Unix ms (domain clock), null until the first frame / the stop. */
  pushStartTime: number | null;
  pushStopTime: number | null;
  imSyncTime: number;
  exceptionCnt: number;
  errorCode: string | null;
  errorMessage: string | null;
  /** Last whiteboard operation or audio/video upstream seen in the room (or the start). */
  lastActivity: number;
  createdAt: number;
}

/** The error message of a failed push: the worker's code and message, in the cloud's format (see the seed's example 2). */
export const failureMessage = (code: string, message: string): string => `code: ${code}, msg: ${message}\n`;

/**
 * A push that failed for good before its first frame (it never joined the room, e.g. an
 * illegal UserSig) has no result to describe: DescribeWhiteboardPush answers it with
 * FailedOperation.WhiteboardPush carrying the worker's error, as the seed's example 2 does.
 * A push that failed after it had started is described (Status STOPPED, FinishReason
 * EXCEPTION, its ExceptionCnt), which is what FinishReason EXCEPTION is documented for.
 */
export function failedBeforeStart(t: PushTask): boolean {
  return t.status === "STOPPED" && t.finishReason === "EXCEPTION" && t.pushStartTime === null;
}

const seconds = (ms: number | null): number => (ms === null ? 0 : Math.floor(ms / 1000));

/** The fields of a backup task reported inside its main task's `Backup` (a JSON string). */
export function backupSummary(b: PushTask): string {
  return JSON.stringify({
    TaskId: b.taskId,
    Status: b.status,
    FinishReason: b.finishReason ?? "",
    PushUserId: b.pushUserId,
    PushStartTime: seconds(b.pushStartTime),
    PushStopTime: seconds(b.pushStopTime),
    ExceptionCnt: b.exceptionCnt,
    IMSyncTime: b.imSyncTime,
  });
}

/** DescribeWhiteboardPush's answer for a task that has one (see failedBeforeStart). */
export function describe(t: PushTask, backup: PushTask | null): Record<string, unknown> {
  return {
    // Not stopped yet: no reason. The cloud's example shows "" for an absent Backup; we
    // render absent strings the same way.
    FinishReason: t.status === "STOPPED" ? (t.finishReason ?? "") : "",
    TaskId: t.taskId,
    Status: t.status,
    RoomId: t.roomId,
    GroupId: t.groupId,
    PushUserId: t.pushUserId,
    PushStartTime: seconds(t.pushStartTime),
    PushStopTime: seconds(t.pushStopTime),
    ExceptionCnt: t.exceptionCnt,
    IMSyncTime: t.imSyncTime,
    Backup: backup ? backupSummary(backup) : "",
  };
}

/** When the auto stop is due: AutoStopTimeout after the last activity. */
export const autoStopDueAt = (t: PushTask): number => t.lastActivity + t.autoStopTimeoutS * 1000;

export function startedEventData(t: PushTask): Record<string, unknown> {
  return { TaskId: t.taskId, RoomId: t.roomId, PushUserId: t.pushUserId, PushStartTime: seconds(t.pushStartTime) };
}

export function stoppedEventData(t: PushTask): Record<string, unknown> {
  const data: Record<string, unknown> = {
    TaskId: t.taskId,
    RoomId: t.roomId,
    GroupId: t.groupId,
    PushUserId: t.pushUserId,
    FinishReason: t.finishReason ?? "",
    PushStartTime: seconds(t.pushStartTime),
    PushStopTime: seconds(t.pushStopTime),
    IMSyncTime: t.imSyncTime,
    ExceptionCnt: t.exceptionCnt,
  };
  // The callback documentation names the error code of a failed push
  // `FailedOperation.Record` (not ...WhiteboardPush as the Describe API does); we send what
  // it documents.
  if (t.finishReason === "EXCEPTION" && t.errorCode !== null) {
    data.Error = { Code: "FailedOperation.Record", Message: failureMessage(t.errorCode, t.errorMessage ?? "") };
  }
  return data;
}

/** The TRTC room a push goes into: TRTCRoomIdStr wins over TRTCRoomId, which wins over RoomId. */
export function trtcRoomOf(req: { RoomId: number; TRTCRoomId?: number; TRTCRoomIdStr?: string }): string {
  if (req.TRTCRoomIdStr !== undefined && req.TRTCRoomIdStr !== "") return req.TRTCRoomIdStr;
  return String(req.TRTCRoomId ?? req.RoomId);
}

/** A time as the worker messages print it ("2021-01-13 22:34:42", UTC here). */
export function messageTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
