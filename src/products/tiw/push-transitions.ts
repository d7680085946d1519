// The transitions of a push task that touch both its agent task and its push row, and the
// callbacks they cause. Each runs inside the caller's transaction, locking the agent task
// first and the push row second (the lock order of src/agent/tasks.ts), so a stop racing a
// finish serialises on the agent task and leaves one answer.
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { getTask, requestStop } from "../../agent/tasks.ts";
import { enqueueCallback } from "../../callbacks/tencent-callback.ts";
import { lockPush, markStopRequested, markStopped, type StopDetails } from "./push-store.ts";
import { startedEventData, stoppedEventData, type FinishReason, type PushTask } from "./push-task.ts";

export const TIW_PUSH_KIND = "tiw-push";

/** Moves a (locked) task to STOPPED and schedules WhiteboardPushStopped; null if it was stopped already. */
export async function stopPush(
  ctx: ProductContext,
  tx: Queryable,
  task: PushTask,
  reason: FinishReason,
  at: number,
  details: StopDetails = {},
): Promise<PushTask | null> {
  const stopped = await markStopped(tx, task, reason, at, details);
  if (stopped) {
    await enqueueCallback(ctx, tx, {
      appId: task.appId,
      product: "tiw",
      eventType: "WhiteboardPushStopped",
      eventData: stoppedEventData(stopped),
    });
  }
  return stopped;
}

export async function notifyStarted(ctx: ProductContext, tx: Queryable, task: PushTask): Promise<void> {
  await enqueueCallback(ctx, tx, {
    appId: task.appId,
    product: "tiw",
    eventType: "WhiteboardPushStarted",
    eventData: startedEventData(task),
  });
}

export type StopOutcome = "stopped" | "requested" | "already-stopped" | "missing" | "not-due";

/**
 * Asks a push to stop (StopWhiteboardPush, the auto stop). A task no worker holds stops at
 * once; a held one is marked and its worker confirms after its next heartbeat. A task
 * already stopped, or whose stop was already asked for, is "already-stopped". `due` lets
 * the auto stop re-check its condition under the locks.
 */
export async function requestPushStop(
  ctx: ProductContext,
  tx: Queryable,
  appId: string,
  taskId: string,
  reason: FinishReason,
  due?: (t: PushTask) => boolean,
): Promise<StopOutcome> {
  const agent = await getTask(tx, appId, taskId, true);
  if (!agent || agent.kind !== TIW_PUSH_KIND) return "missing";
  const task = await lockPush(tx, appId, taskId);
  if (!task) return "missing";
  if (task.status === "STOPPED" || task.stopReason !== null) return "already-stopped";
  if (due && !due(task)) return "not-due";
  const now = ctx.clock.now();
  const asked = await requestStop(tx, appId, taskId, now);
  if (asked === "requested") {
    await markStopRequested(tx, task, reason);
    return "requested";
  }
  await stopPush(ctx, tx, task, reason, now);
  return "stopped";
}
