// SQL of GME recording tasks (gme_record_tasks): creation, state, configuration, empty rooms.
import type { Queryable } from "../../storage/db.ts";
import { sqlState, UNIQUE_VIOLATION } from "../../storage/db.ts";
import { gmeErrors } from "./errors.ts";
import type { SubscribeFilter } from "./recording.ts";

export type TaskState = "recording" | "stopped" | "done" | "lost";

export interface RecordTask {
  appId: string;
  taskId: number;
  roomId: string;
  recordMode: number;
  filter: SubscribeFilter;
  state: TaskState;
  stopReason: string | null;
  recorderLosses: number;
  emptySince: number | null;
  createdAt: number;
  stoppedAt: number | null;
}

export interface TaskRow {
  app_id: string;
  task_id: number;
  room_id: string;
  record_mode: number;
  subscribe_user_ids: string[] | null;
  unsubscribe_user_ids: string[] | null;
  state: TaskState;
  stop_reason: string | null;
  recorder_losses: number;
  empty_since: number | null;
  created_at: number;
  stopped_at: number | null;
}

export const toTask = (r: TaskRow): RecordTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  roomId: r.room_id,
  recordMode: r.record_mode,
  filter: { subscribe: r.subscribe_user_ids, unsubscribe: r.unsubscribe_user_ids },
  state: r.state,
  stopReason: r.stop_reason,
  recorderLosses: r.recorder_losses,
  emptySince: r.empty_since,
  createdAt: r.created_at,
  stoppedAt: r.stopped_at,
});

/** Inserts a recording task; a room that already has one is ResourceInUse.TaskInUse. */
export async function insertTask(
  tx: Queryable,
  t: { appId: string; taskId: number; roomId: string; recordMode: number; filter: SubscribeFilter; now: number },
): Promise<void> {
  try {
    await tx.query(
      `insert into gme_record_tasks (app_id, task_id, room_id, record_mode, subscribe_user_ids, unsubscribe_user_ids, state, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, 'recording', $7, $7)`,
      [t.appId, t.taskId, t.roomId, t.recordMode, t.filter.subscribe, t.filter.unsubscribe, t.now],
    );
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION) throw gmeErrors.taskInUse();
    throw err;
  }
}

export async function getTask(q: Queryable, appId: string, taskId: number, forUpdate = false): Promise<RecordTask | null> {
  const rows = await q.query<TaskRow>(
    `select * from gme_record_tasks where app_id = $1 and task_id = $2${forUpdate ? " for update" : ""}`,
    [appId, taskId],
  );
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

export async function recordingTaskOfRoom(q: Queryable, appId: string, roomId: string): Promise<RecordTask | null> {
  const rows = await q.query<TaskRow>("select * from gme_record_tasks where app_id = $1 and room_id = $2 and state = 'recording'", [
    appId,
    roomId,
  ]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

const ROOM_OCCUPIED = "exists (select 1 from gme_room_members m where m.app_id = t.app_id and m.room_id = t.room_id and m.in_room)";

/** Recording tasks of these rooms whose room just became empty: marks them empty since now. */
export async function markEmptiedRooms(
  tx: Queryable,
  appId: string,
  roomIds: string[],
  now: number,
): Promise<{ taskId: number; roomId: string }[]> {
  const rows = await tx.query<{ task_id: number; room_id: string }>(
    `update gme_record_tasks t set empty_since = $3
     where t.app_id = $1 and t.room_id = any($2::text[]) and t.state = 'recording' and t.empty_since is null and not ${ROOM_OCCUPIED}
     returning t.task_id, t.room_id`,
    [appId, roomIds, now],
  );
  return rows.rows.map((r) => ({ taskId: r.task_id, roomId: r.room_id }));
}

/** Recording tasks of these rooms whose room is occupied again: no longer empty. */
export async function clearReoccupiedRooms(tx: Queryable, appId: string, roomIds: string[]): Promise<void> {
  await tx.query(
    `update gme_record_tasks t set empty_since = null
     where t.app_id = $1 and t.room_id = any($2::text[]) and t.state = 'recording' and t.empty_since is not null and ${ROOM_OCCUPIED}`,
    [appId, roomIds],
  );
}

/** Changes mode and list of a recording task; false if it is not recording any more. */
export async function updateTaskConfig(
  q: Queryable,
  appId: string,
  taskId: number,
  recordMode: number,
  filter: SubscribeFilter,
  now: number,
): Promise<boolean> {
  const rows = await q.query(
    `update gme_record_tasks set record_mode = $3, subscribe_user_ids = $4, unsubscribe_user_ids = $5, updated_at = $6
     where app_id = $1 and task_id = $2 and state = 'recording'`,
    [appId, taskId, recordMode, filter.subscribe, filter.unsubscribe, now],
  );
  return rows.rowCount > 0;
}

export async function setTaskState(
  q: Queryable,
  appId: string,
  taskId: number,
  from: TaskState[],
  to: TaskState,
  reason: string | null,
  now: number,
): Promise<boolean> {
  const rows = await q.query(
    `update gme_record_tasks set state = $4, stop_reason = coalesce(stop_reason, $5), stopped_at = coalesce(stopped_at, $6), updated_at = $6
     where app_id = $1 and task_id = $2 and state = any($3::text[])`,
    [appId, taskId, from, to, reason, now],
  );
  return rows.rowCount > 0;
}

export async function countRecorderLoss(q: Queryable, appId: string, taskId: number, now: number): Promise<void> {
  await q.query("update gme_record_tasks set recorder_losses = recorder_losses + 1, updated_at = $3 where app_id = $1 and task_id = $2", [
    appId,
    taskId,
    now,
  ]);
}

/** The app's newest recording tasks, newest first (the console's task list). */
export async function recentTasks(q: Queryable, appId: string, limit: number): Promise<RecordTask[]> {
  const rows = await q.query<TaskRow>("select * from gme_record_tasks where app_id = $1 order by created_at desc, task_id limit $2", [
    appId,
    limit,
  ]);
  return rows.rows.map(toTask);
}
