// The job that stops a recording when its room stayed empty (see room-events.ts). It decides
// from the task's `empty_since` when it runs: a room occupied again (null) keeps recording;
// a delay changed meanwhile is honoured (not yet due: checked again then; null: never).
// Idempotent: a task that is no longer recording is left alone.
import type { JobType } from "../../jobs/queue.ts";
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { appSettings } from "./settings-store.ts";
import { getTask, markEmptiedRooms } from "./task-store.ts";
import { roomOccupied } from "./presence-store.ts";
import { stopRecording } from "./task-lifecycle.ts";

export const EMPTY_ROOM_STOP_JOB = "gme.empty-room-stop";

export interface EmptyRoomStop {
  appId: string;
  roomId: string;
  taskId: number;
}

export async function scheduleEmptyRoomStop(
  ctx: ProductContext,
  tx: Queryable | undefined,
  p: EmptyRoomStop,
  runAt: number,
): Promise<void> {
  // One job per (task, due time): a duplicate schedule is dropped, none is ever moved.
  await ctx.jobs.enqueue(EMPTY_ROOM_STOP_JOB, p, { tx, runAt, singletonKey: `gme.empty-room:${p.appId}:${p.taskId}:${runAt}` });
}

/** Rooms that may have just emptied: their recording tasks note it and schedule the stop. */
export async function noteEmptiedRooms(tx: Queryable, app: { appId: string }, roomIds: string[], ctx: ProductContext): Promise<void> {
  const emptied = await markEmptiedRooms(tx, app.appId, roomIds, ctx.clock.now());
  if (emptied.length === 0) return;
  const { emptyRoomStopSeconds } = await appSettings(tx, app.appId);
  if (emptyRoomStopSeconds === null) return;
  for (const t of emptied) {
    await scheduleEmptyRoomStop(
      ctx,
      tx,
      { appId: app.appId, roomId: t.roomId, taskId: t.taskId },
      ctx.clock.now() + emptyRoomStopSeconds * 1000,
    );
  }
}

export function emptyRoomStopJob(ctx: ProductContext): JobType<EmptyRoomStop> {
  return {
    name: EMPTY_ROOM_STOP_JOB,
    async run(p) {
      const task = await getTask(ctx.db, p.appId, p.taskId);
      if (task?.state !== "recording" || task.emptySince === null) return;
      const { emptyRoomStopSeconds } = await appSettings(ctx.db, p.appId);
      if (emptyRoomStopSeconds === null) return;
      const due = task.emptySince + emptyRoomStopSeconds * 1000;
      if (due > ctx.clock.now()) return scheduleEmptyRoomStop(ctx, undefined, p, due);
      if (await roomOccupied(ctx.db, p.appId, p.roomId)) return;
      await ctx.db.transaction((tx) => stopRecording(tx, ctx, p.appId, p.taskId, "room_empty"));
    },
  };
}
