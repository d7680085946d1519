// The transitions of an online recording that touch both its agent task and its row, and
// the callbacks (OnlineRecordStarted / Stopped / Finished) they cause. Each runs inside the
// caller's transaction, locking the agent task first and the record row second.
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { finishTask, getTask, requestStop } from "../../agent/tasks.ts";
import { enqueueCallback } from "../../callbacks/tencent-callback.ts";
import { lockRecord, saveRecord } from "./record-store.ts";
import { RECORD_CALLBACKS } from "./callback-settings.ts";
import {
  closePause,
  finishedEventData,
  isStopping,
  startedEventData,
  stoppedEventData,
  totalTimeOf,
  type RecordFinishReason,
  type RecordTask,
  type VideoInfo,
} from "./record-task.ts";

export const TIW_RECORD_KIND = "tiw-record";

const callback = (ctx: ProductContext, tx: Queryable, t: RecordTask, eventType: string, eventData: Record<string, unknown>) =>
  enqueueCallback(ctx, tx, { appId: t.appId, product: RECORD_CALLBACKS, eventType, eventData });

export const notifyRecordStarted = (ctx: ProductContext, tx: Queryable, t: RecordTask) =>
  callback(ctx, tx, t, "OnlineRecordStarted", startedEventData(t));

/** PREPARED/RECORDING/PAUSED → STOPPED (the recorder left the room; an open pause closes at `at`). */
export async function markRecordStopped(ctx: ProductContext, tx: Queryable, t: RecordTask, reason: RecordFinishReason, at: number) {
  const pause = closePause(t, at);
  const stopped: RecordTask = {
    ...t,
    status: "STOPPED",
    finishReason: reason,
    stopReason: null,
    recordStopTime: at,
    pausedAt: null,
    omitted: pause ? [...t.omitted, pause] : t.omitted,
  };
  await saveRecord(tx, stopped);
  await callback(ctx, tx, stopped, "OnlineRecordStopped", stoppedEventData(stopped));
  return stopped;
}

export interface FinishDetails {
  videos?: VideoInfo[];
  replayUrl?: string | null;
  exception?: boolean;
  error?: { code: string; message: string };
}

/** → FINISHED (stopping first if it was not yet), with the result, and OnlineRecordFinished. */
export async function finishRecord(
  ctx: ProductContext,
  tx: Queryable,
  t: RecordTask,
  reason: RecordFinishReason,
  at: number,
  d: FinishDetails = {},
): Promise<RecordTask> {
  const stopped = t.status === "STOPPED" ? t : await markRecordStopped(ctx, tx, t, reason, at);
  const finished: RecordTask = {
    ...stopped,
    status: "FINISHED",
    finishReason: stopped.finishReason ?? reason,
    totalTime: totalTimeOf(stopped, stopped.recordStopTime ?? at),
    videoInfos: d.videos ?? [],
    replayUrl: d.replayUrl ?? null,
    exceptionCnt: stopped.exceptionCnt + (d.exception ? 1 : 0),
    errorCode: d.error?.code ?? stopped.errorCode,
    errorMessage: d.error?.message ?? stopped.errorMessage,
    finishedAt: at,
  };
  await saveRecord(tx, finished);
  await callback(ctx, tx, finished, "OnlineRecordFinished", finishedEventData(finished));
  return finished;
}

export type RecordStopOutcome = "stopped" | "requested" | "already-stopped" | "missing" | "not-due";

/**
 * Asks a recording to stop (StopOnlineRecord, the watchdog). A task no recorder holds
 * finishes at once (nothing was recorded); a held one is marked, and its recorder confirms
 * after its next heartbeat. The reason may be a function of the locked task (the watchdog
 * re-checks its condition under the locks): null means the stop is not due.
 */
export async function requestRecordStop(
  ctx: ProductContext,
  tx: Queryable,
  appId: string,
  taskId: string,
  reasonFor: RecordFinishReason | ((t: RecordTask) => RecordFinishReason | null),
): Promise<RecordStopOutcome> {
  const agent = await getTask(tx, appId, taskId, true);
  if (!agent || agent.kind !== TIW_RECORD_KIND) return "missing";
  const task = await lockRecord(tx, appId, taskId);
  if (!task) return "missing";
  if (isStopping(task)) return "already-stopped";
  const reason = typeof reasonFor === "function" ? reasonFor(task) : reasonFor;
  if (reason === null) return "not-due";
  const now = ctx.clock.now();
  const asked = await requestStop(tx, appId, taskId, now);
  if (asked === "requested") {
    await saveRecord(tx, { ...task, stopReason: reason });
    return "requested";
  }
  await finishRecord(ctx, tx, task, reason, now);
  return "stopped";
}

/** Ends the agent task and the recording in one go (a final failure, a lost upload). */
export async function failRecord(
  ctx: ProductContext,
  tx: Queryable,
  t: RecordTask,
  at: number,
  error: { code: string; message: string },
): Promise<void> {
  await finishTask(tx, t.appId, t.taskId, ctx.clock.now());
  await finishRecord(ctx, tx, t, t.stopReason ?? t.finishReason ?? "EXCEPTION", at, { exception: true, error });
}
