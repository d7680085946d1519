// SQL of the whiteboard push tasks (tiw_push_tasks) and the per-app push settings.
// Lock order (see src/agent/tasks.ts): a transaction that also touches the agent task
// locks it first, then calls lockPush.
import type { Queryable } from "../../storage/db.ts";
import type { FinishReason, PushTask } from "./push-task.ts";

interface Row {
  app_id: string;
  task_id: string;
  room_id: number;
  group_id: string;
  push_user_id: string;
  trtc_room: string;
  backup_of: string | null;
  backup_task_id: string | null;
  auto_manage_backup: boolean;
  auto_stop_timeout_s: number;
  status: PushTask["status"];
  stop_reason: FinishReason | null;
  finish_reason: FinishReason | null;
  push_start_time: number | null;
  push_stop_time: number | null;
  im_sync_time: number;
  exception_cnt: number;
  error_code: string | null;
  error_message: string | null;
  last_activity: number;
  created_at: number;
}

const toTask = (r: Row): PushTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  roomId: r.room_id,
  groupId: r.group_id,
  pushUserId: r.push_user_id,
  trtcRoom: r.trtc_room,
  backupOf: r.backup_of,
  backupTaskId: r.backup_task_id,
  autoManageBackup: r.auto_manage_backup,
  autoStopTimeoutS: r.auto_stop_timeout_s,
  status: r.status,
  stopReason: r.stop_reason,
  finishReason: r.finish_reason,
  pushStartTime: r.push_start_time,
  pushStopTime: r.push_stop_time,
  imSyncTime: r.im_sync_time,
  exceptionCnt: r.exception_cnt,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  lastActivity: r.last_activity,
  createdAt: r.created_at,
});

export interface PushSettings {
  maxConcurrentPushes: number;
  maxAttempts: number;
  /** Online recordings in their room at once (migration 002). */
  maxConcurrentRecords: number;
}

/** Defaults when an app has no settings row: the cloud's limits are per contract; these are ours. */
export const DEFAULT_SETTINGS: PushSettings = { maxConcurrentPushes: 100, maxAttempts: 3, maxConcurrentRecords: 100 };

interface SettingsRow {
  max_concurrent_pushes: number;
  max_attempts: number;
  max_concurrent_records: number;
}
const toSettings = (r: SettingsRow): PushSettings => ({
  maxConcurrentPushes: r.max_concurrent_pushes,
  maxAttempts: r.max_attempts,
  maxConcurrentRecords: r.max_concurrent_records,
});

export async function insertPush(
  tx: Queryable,
  t: Pick<
    PushTask,
    | "appId"
    | "taskId"
    | "roomId"
    | "groupId"
    | "pushUserId"
    | "trtcRoom"
    | "backupOf"
    | "backupTaskId"
    | "autoManageBackup"
    | "autoStopTimeoutS"
    | "createdAt"
  >,
): Promise<void> {
  await tx.query(
    `insert into tiw_push_tasks (app_id, task_id, room_id, group_id, push_user_id, trtc_room, backup_of, backup_task_id,
       auto_manage_backup, auto_stop_timeout_s, last_activity, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [
      t.appId,
      t.taskId,
      t.roomId,
      t.groupId,
      t.pushUserId,
      t.trtcRoom,
      t.backupOf,
      t.backupTaskId,
      t.autoManageBackup,
      t.autoStopTimeoutS,
      t.createdAt,
    ],
  );
}

export async function getPush(q: Queryable, appId: string, taskId: string): Promise<PushTask | null> {
  const rows = await q.query<Row>("select * from tiw_push_tasks where app_id = $1 and task_id = $2", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** The task and its backup (if any) in one round trip. */
export async function getPushWithBackup(
  q: Queryable,
  appId: string,
  taskId: string,
): Promise<{ task: PushTask; backup: PushTask | null } | null> {
  const rows = await q.query<Row>(
    `select * from tiw_push_tasks
     where app_id = $1 and task_id = any(array[$2, (select backup_task_id from tiw_push_tasks where app_id = $1 and task_id = $2)])`,
    [appId, taskId],
  );
  const main = rows.rows.find((r) => r.task_id === taskId);
  if (!main) return null;
  const backup = rows.rows.find((r) => r.task_id !== taskId);
  return { task: toTask(main), backup: backup ? toTask(backup) : null };
}

export async function lockPush(tx: Queryable, appId: string, taskId: string): Promise<PushTask | null> {
  const rows = await tx.query<Row>("select * from tiw_push_tasks where app_id = $1 and task_id = $2 for update", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** Locks the app's settings row (creating it), which serialises the app's starts. */
export async function lockSettings(tx: Queryable, appId: string): Promise<PushSettings> {
  await tx.query("insert into tiw_push_settings (app_id) values ($1) on conflict (app_id) do nothing", [appId]);
  const rows = await tx.query<SettingsRow>("select * from tiw_push_settings where app_id = $1 for update", [appId]);
  return toSettings(rows.rows[0]!);
}

export async function getSettings(q: Queryable, appId: string): Promise<PushSettings> {
  const rows = await q.query<SettingsRow>("select * from tiw_push_settings where app_id = $1", [appId]);
  return rows.rows[0] ? toSettings(rows.rows[0]) : { ...DEFAULT_SETTINGS };
}

export async function setSettings(q: Queryable, appId: string, s: Partial<PushSettings>): Promise<PushSettings> {
  await q.query(
    `insert into tiw_push_settings (app_id, max_concurrent_pushes, max_attempts, max_concurrent_records)
     values ($1, coalesce($2::int, $4::int), coalesce($3::int, $5::int), coalesce($6::int, $7::int))
     on conflict (app_id) do update set
       max_concurrent_pushes = coalesce($2::int, tiw_push_settings.max_concurrent_pushes),
       max_attempts = coalesce($3::int, tiw_push_settings.max_attempts),
       max_concurrent_records = coalesce($6::int, tiw_push_settings.max_concurrent_records)`,
    [
      appId,
      s.maxConcurrentPushes ?? null,
      s.maxAttempts ?? null,
      DEFAULT_SETTINGS.maxConcurrentPushes,
      DEFAULT_SETTINGS.maxAttempts,
      s.maxConcurrentRecords ?? null,
      DEFAULT_SETTINGS.maxConcurrentRecords,
    ],
  );
  return getSettings(q, appId);
}

/** Active (not stopped) tasks of an app, and whether any of them pushes as one of these users. */
export async function activeUsage(tx: Queryable, appId: string, users: string[]): Promise<{ active: number; busyUser: string | null }> {
  const rows = await tx.query<{ active: number; busy: string | null }>(
    `select count(*)::int as active,
            (array_agg(push_user_id) filter (where push_user_id = any($2::text[])))[1] as busy
     from tiw_push_tasks where app_id = $1 and status <> 'STOPPED'`,
    [appId, users],
  );
  return { active: rows.rows[0]?.active ?? 0, busyUser: rows.rows[0]?.busy ?? null };
}

export async function markStarted(tx: Queryable, t: PushTask, at: number, imSyncTime: number): Promise<void> {
  await tx.query(
    `update tiw_push_tasks set status = 'PUSHING', push_start_time = $3, im_sync_time = $4
     where app_id = $1 and task_id = $2`,
    [t.appId, t.taskId, at, imSyncTime],
  );
}

export async function recordException(tx: Queryable, t: PushTask, code: string, message: string): Promise<void> {
  await tx.query(
    `update tiw_push_tasks set exception_cnt = exception_cnt + 1, error_code = $3, error_message = $4
     where app_id = $1 and task_id = $2`,
    [t.appId, t.taskId, code, message],
  );
}

export async function markStopRequested(tx: Queryable, t: PushTask, reason: FinishReason): Promise<void> {
  await tx.query("update tiw_push_tasks set stop_reason = $3 where app_id = $1 and task_id = $2", [t.appId, t.taskId, reason]);
}

export interface StopDetails {
  /** The stop itself is an exception (a final failure, a worker lost): ExceptionCnt + 1. */
  exception?: boolean;
  /** The error to keep (and report) with the stop. */
  error?: { code: string; message: string };
}

/** The one transition into STOPPED; returns the stopped task (null if it was already stopped). */
export async function markStopped(
  tx: Queryable,
  t: PushTask,
  reason: FinishReason,
  at: number,
  d: StopDetails = {},
): Promise<PushTask | null> {
  const rows = await tx.query<Row>(
    `update tiw_push_tasks set status = 'STOPPED', finish_reason = $3, push_stop_time = $4, stop_reason = null,
       error_code = coalesce($5, error_code), error_message = coalesce($6, error_message),
       exception_cnt = exception_cnt + $7
     where app_id = $1 and task_id = $2 and status <> 'STOPPED'
     returning *`,
    [t.appId, t.taskId, reason, at, d.error?.code ?? null, d.error?.message ?? null, d.exception ? 1 : 0],
  );
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** Whiteboard operations seen in rooms: postpone the auto stop of their active tasks. */
export async function touchWhiteboardRooms(tx: Queryable, appId: string, roomIds: number[], at: number): Promise<void> {
  await tx.query(
    `update tiw_push_tasks set last_activity = greatest(last_activity, $3)
     where app_id = $1 and room_id = any($2::bigint[]) and status <> 'STOPPED'`,
    [appId, roomIds, at],
  );
}

/**
 * Audio/video upstream seen in TRTC rooms: postpones the auto stop of the pushes into those
 * rooms, except the push's own stream (its push user's upstream is the push itself).
 */
export async function touchTrtcRooms(
  tx: Queryable,
  appId: string,
  upstreams: { room: string; userId: string }[],
  at: number,
): Promise<void> {
  await tx.query(
    `update tiw_push_tasks t set last_activity = greatest(t.last_activity, $3)
     from unnest($2::text[], $4::text[]) as e(room, user_id)
     where t.app_id = $1 and t.trtc_room = e.room and t.status <> 'STOPPED' and t.push_user_id <> e.user_id`,
    [appId, upstreams.map((u) => u.room), at, upstreams.map((u) => u.userId)],
  );
}

/** The app's newest push tasks, newest first (the console's task list). */
export async function recentPushes(q: Queryable, appId: string, limit: number): Promise<PushTask[]> {
  const rows = await q.query<Row>("select * from tiw_push_tasks where app_id = $1 order by created_at desc, task_id limit $2", [
    appId,
    limit,
  ]);
  return rows.rows.map(toTask);
}
