// Starting and stopping a recording task: the GME task row and its agent task (kind
// "gme-record") change together. Lock order (src/agent/tasks.ts): the agent task first,
// then the GME row.
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { createTask, requestStop } from "../../agent/tasks.ts";
import { safeInteger } from "../../ids.ts";
import { TASK_ID_MIN, type SubscribeFilter } from "./recording.ts";
import { insertTask, getTask, setTaskState } from "./task-store.ts";
import { streamsOf } from "./stream-store.ts";

export const RECORD_KIND = "gme-record";
/** Claims of one task before a vanished recorder's task is given up (lost). */
export const RECORDER_ATTEMPTS = 3;

/** What a recorder gets when it claims a task; mode and lists live in the task view. */
export interface RecordTaskSpec {
  bizId: string;
  roomId: string;
  taskId: number;
}

export async function startRecording(
  ctx: ProductContext,
  t: { appId: string; roomId: string; recordMode: number; filter: SubscribeFilter },
): Promise<number> {
  const now = ctx.clock.now();
  const taskId = safeInteger(TASK_ID_MIN);
  await ctx.db.transaction(async (tx) => {
    const spec: RecordTaskSpec = { bizId: t.appId, roomId: t.roomId, taskId };
    await createTask(tx, {
      appId: t.appId,
      taskId: String(taskId),
      kind: RECORD_KIND,
      spec: { ...spec },
      maxAttempts: RECORDER_ATTEMPTS,
      now,
    });
    await insertTask(tx, { ...t, taskId, now });
  });
  return taskId;
}

/**
 * Ends the recording of a task (StopRecord, or the room stayed empty). A recorder holding
 * the task learns it on its next heartbeat and goes on with transcoding and uploading
 * (state "stopped"). A task no recorder holds is over at once: "done" when nothing was
 * recorded, "lost" when a recorder that vanished had begun streams nobody will finish.
 * Returns false when the task was not recording.
 */
export async function stopRecording(tx: Queryable, ctx: ProductContext, appId: string, taskId: number, reason: string): Promise<boolean> {
  const now = ctx.clock.now();
  const agent = await requestStop(tx, appId, String(taskId), now);
  const task = await getTask(tx, appId, taskId, true);
  if (task?.state !== "recording") return false;
  let next: "stopped" | "done" | "lost" = "stopped";
  if (agent !== "requested") next = (await streamsOf(tx, appId, taskId)).length > 0 ? "lost" : "done";
  return setTaskState(tx, appId, taskId, ["recording"], next, reason, now);
}
