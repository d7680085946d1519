// SQL of the online recording tasks (tiw_record_tasks). Lock order as for pushes (see
// src/agent/tasks.ts): a transaction that also touches the agent task locks it first, then
// calls lockRecord.
import type { Queryable } from "../../storage/db.ts";
import type { OmittedDuration, RecordFinishReason, RecordTask, VideoInfo } from "./record-task.ts";

interface Row {
  app_id: string;
  task_id: string;
  room_id: number;
  group_id: string;
  record_user_id: string;
  trtc_room: string;
  record_mode: RecordTask["recordMode"];
  concat_enabled: boolean;
  auto_stop_timeout_s: number;
  params: Record<string, unknown>;
  status: RecordTask["status"];
  stop_reason: RecordFinishReason | null;
  finish_reason: RecordFinishReason | null;
  record_start_time: number | null;
  record_stop_time: number | null;
  paused_at: number | null;
  omitted: OmittedDuration[];
  total_time: number;
  exception_cnt: number;
  error_code: string | null;
  error_message: string | null;
  interrupts: Record<string, number>;
  video_infos: VideoInfo[];
  replay_url: string | null;
  last_activity: number;
  created_at: number;
  finished_at: number | null;
}

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

const toTask = (r: Row): RecordTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  roomId: Number(r.room_id),
  groupId: r.group_id,
  recordUserId: r.record_user_id,
  trtcRoom: r.trtc_room,
  recordMode: r.record_mode,
  concatEnabled: r.concat_enabled,
  autoStopTimeoutS: r.auto_stop_timeout_s,
  params: r.params,
  status: r.status,
  stopReason: r.stop_reason,
  finishReason: r.finish_reason,
  recordStartTime: num(r.record_start_time),
  recordStopTime: num(r.record_stop_time),
  pausedAt: num(r.paused_at),
  omitted: r.omitted,
  totalTime: Number(r.total_time),
  exceptionCnt: r.exception_cnt,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  interrupts: r.interrupts,
  videoInfos: r.video_infos,
  replayUrl: r.replay_url,
  lastActivity: Number(r.last_activity),
  createdAt: Number(r.created_at),
  finishedAt: num(r.finished_at),
});

export async function insertRecord(
  tx: Queryable,
  t: Pick<
    RecordTask,
    | "appId"
    | "taskId"
    | "roomId"
    | "groupId"
    | "recordUserId"
    | "trtcRoom"
    | "recordMode"
    | "concatEnabled"
    | "autoStopTimeoutS"
    | "params"
    | "createdAt"
  >,
): Promise<void> {
  await tx.query(
    `insert into tiw_record_tasks (app_id, task_id, room_id, group_id, record_user_id, trtc_room, record_mode, concat_enabled,
       auto_stop_timeout_s, params, last_activity, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
    [
      t.appId,
      t.taskId,
      t.roomId,
      t.groupId,
      t.recordUserId,
      t.trtcRoom,
      t.recordMode,
      t.concatEnabled,
      t.autoStopTimeoutS,
      JSON.stringify(t.params),
      t.createdAt,
    ],
  );
}

export async function getRecord(q: Queryable, appId: string, taskId: string): Promise<RecordTask | null> {
  const rows = await q.query<Row>("select * from tiw_record_tasks where app_id = $1 and task_id = $2", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

export async function lockRecord(tx: Queryable, appId: string, taskId: string): Promise<RecordTask | null> {
  const rows = await tx.query<Row>("select * from tiw_record_tasks where app_id = $1 and task_id = $2 for update", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** Locks the app's settings row (creating it): serialises the app's starts. Returns the record limit and attempts. */
export async function lockRecordSettings(tx: Queryable, appId: string): Promise<{ maxConcurrentRecords: number; maxAttempts: number }> {
  await tx.query("insert into tiw_push_settings (app_id) values ($1) on conflict (app_id) do nothing", [appId]);
  const rows = await tx.query<{ max_concurrent_records: number; max_attempts: number }>(
    "select max_concurrent_records, max_attempts from tiw_push_settings where app_id = $1 for update",
    [appId],
  );
  const r = rows.rows[0]!;
  return { maxConcurrentRecords: r.max_concurrent_records, maxAttempts: r.max_attempts };
}

/** Recordings of an app still in their room, and whether one of them records as this user. */
export async function activeRecordUsage(tx: Queryable, appId: string, userId: string): Promise<{ active: number; busy: boolean }> {
  const rows = await tx.query<{ active: number; busy: boolean }>(
    `select count(*)::int as active, coalesce(bool_or(record_user_id = $2), false) as busy
     from tiw_record_tasks where app_id = $1 and status in ('PREPARED', 'RECORDING', 'PAUSED')`,
    [appId, userId],
  );
  return { active: rows.rows[0]?.active ?? 0, busy: rows.rows[0]?.busy ?? false };
}

/** Writes back the mutable part of a (locked) task: the transitions compute it in record-task.ts terms. */
export async function saveRecord(tx: Queryable, t: RecordTask): Promise<void> {
  await tx.query(
    `update tiw_record_tasks set status = $3, stop_reason = $4, finish_reason = $5, record_start_time = $6, record_stop_time = $7,
       paused_at = $8, omitted = $9, total_time = $10, exception_cnt = $11, error_code = $12, error_message = $13,
       interrupts = $14, video_infos = $15, replay_url = $16, finished_at = $17, last_activity = greatest(last_activity, $18)
     where app_id = $1 and task_id = $2`,
    [
      t.appId,
      t.taskId,
      t.status,
      t.stopReason,
      t.finishReason,
      t.recordStartTime,
      t.recordStopTime,
      t.pausedAt,
      JSON.stringify(t.omitted),
      t.totalTime,
      t.exceptionCnt,
      t.errorCode,
      t.errorMessage,
      JSON.stringify(t.interrupts),
      JSON.stringify(t.videoInfos),
      t.replayUrl,
      t.finishedAt,
      t.lastActivity,
    ],
  );
}

/** Whiteboard operations seen in rooms: postpone the auto stop of their active recordings. */
export async function touchRecordRooms(tx: Queryable, appId: string, roomIds: number[], at: number): Promise<void> {
  await tx.query(
    `update tiw_record_tasks set last_activity = greatest(last_activity, $3)
     where app_id = $1 and room_id = any($2::bigint[]) and status in ('PREPARED', 'RECORDING', 'PAUSED')`,
    [appId, roomIds, at],
  );
}

/**
 * Audio/video upstream seen in TRTC rooms: postpones the auto stop of the recordings there,
 * except the record user's own (it only pulls; an upstream under its name is not a participant's).
 */
export async function touchRecordTrtcRooms(tx: Queryable, appId: string, upstreams: { room: string; userId: string }[], at: number) {
  await tx.query(
    `update tiw_record_tasks t set last_activity = greatest(t.last_activity, $3)
     from unnest($2::text[], $4::text[]) as e(room, user_id)
     where t.app_id = $1 and t.trtc_room = e.room and t.status in ('PREPARED', 'RECORDING', 'PAUSED') and t.record_user_id <> e.user_id`,
    [appId, upstreams.map((u) => u.room), at, upstreams.map((u) => u.userId)],
  );
}
