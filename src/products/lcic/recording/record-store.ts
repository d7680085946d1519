// Recording in SQL: the tasks (lcic_record_tasks), the files their recorders uploaded
// (lcic_record_files), the rooms hidden from the playback list and the apps' playback keys.
import type { Queryable } from "../../../storage/db.ts";

export type TaskState = "recording" | "stopped" | "done" | "lost";

export interface RecordTask {
  appId: string;
  taskId: string;
  roomId: number;
  state: TaskState;
  origin: "class" | "api";
  recordLayout: number;
  recordStream: number;
  beganAt: number | null;
  stoppedAt: number | null;
  stopReason: string | null;
  createdAt: number;
}

interface TaskRow {
  app_id: string;
  task_id: string;
  room_id: string | number;
  state: TaskState;
  origin: "class" | "api";
  record_layout: number;
  record_stream: number;
  began_at: string | number | null;
  stopped_at: string | number | null;
  stop_reason: string | null;
  created_at: string | number;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

const toTask = (r: TaskRow): RecordTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  roomId: Number(r.room_id),
  state: r.state,
  origin: r.origin,
  recordLayout: r.record_layout,
  recordStream: r.record_stream,
  beganAt: num(r.began_at),
  stoppedAt: num(r.stopped_at),
  stopReason: r.stop_reason,
  createdAt: Number(r.created_at),
});

export async function insertTask(
  tx: Queryable,
  t: { appId: string; taskId: string; roomId: number; origin: "class" | "api"; recordLayout: number; recordStream: number; now: number },
): Promise<void> {
  await tx.query(
    `insert into lcic_record_tasks (app_id, task_id, room_id, state, origin, record_layout, record_stream, created_at, updated_at)
     values ($1, $2, $3, 'recording', $4, $5, $6, $7, $7)`,
    [t.appId, t.taskId, t.roomId, t.origin, t.recordLayout, t.recordStream, t.now],
  );
}

export async function getTask(q: Queryable, appId: string, taskId: string, lock = false): Promise<RecordTask | null> {
  const rows = await q.query<TaskRow>(`select * from lcic_record_tasks where app_id = $1 and task_id = $2${lock ? " for update" : ""}`, [
    appId,
    taskId,
  ]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** The room's task that is recording now, if any. */
export async function recordingTaskOf(q: Queryable, appId: string, roomId: number): Promise<RecordTask | null> {
  const rows = await q.query<TaskRow>("select * from lcic_record_tasks where app_id = $1 and room_id = $2 and state = 'recording'", [
    appId,
    roomId,
  ]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** The room's latest task, whatever its state. */
export async function latestTaskOf(q: Queryable, appId: string, roomId: number): Promise<RecordTask | null> {
  const rows = await q.query<TaskRow>(
    "select * from lcic_record_tasks where app_id = $1 and room_id = $2 order by created_at desc, task_id desc limit 1",
    [appId, roomId],
  );
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/** Moves a task from one of `from` to `to`; false when it was in none of them. */
export async function setTaskState(
  tx: Queryable,
  appId: string,
  taskId: string,
  from: readonly TaskState[],
  to: TaskState,
  now: number,
  reason: string | null = null,
): Promise<boolean> {
  const rows = await tx.query(
    `update lcic_record_tasks set state = $4, updated_at = $5,
       stopped_at = case when state = 'recording' then $5 else stopped_at end,
       stop_reason = coalesce(stop_reason, $6)
     where app_id = $1 and task_id = $2 and state = any($3::text[])`,
    [appId, taskId, from, to, now, reason],
  );
  return rows.rowCount > 0;
}

/** The recorder began: the first report of it sets the time. */
export async function markBegan(tx: Queryable, appId: string, taskId: string, at: number): Promise<void> {
  await tx.query("update lcic_record_tasks set began_at = coalesce(began_at, $3) where app_id = $1 and task_id = $2", [appId, taskId, at]);
}

export interface RecordFile {
  taskId: string;
  roomId: number;
  /** "" for the mixed recording. */
  userId: string;
  role: string;
  startS: number;
  stopS: number;
  fileFormat: string;
  recordUrl: string;
  recordSize: number;
  videoId: string;
}

interface FileRow {
  task_id: string;
  room_id: string | number;
  user_id: string;
  role: string;
  start_s: string | number;
  stop_s: string | number;
  file_format: string;
  record_url: string;
  record_size: string | number;
  video_id: string;
}

const toFile = (r: FileRow): RecordFile => ({
  taskId: r.task_id,
  roomId: Number(r.room_id),
  userId: r.user_id,
  role: r.role,
  startS: Number(r.start_s),
  stopS: Number(r.stop_s),
  fileFormat: r.file_format,
  recordUrl: r.record_url,
  recordSize: Number(r.record_size),
  videoId: r.video_id,
});

/** A file the recorder uploaded; the same file reported again replaces its details. */
export async function upsertFile(tx: Queryable, appId: string, f: RecordFile): Promise<void> {
  await tx.query(
    `insert into lcic_record_files (app_id, task_id, room_id, user_id, role, start_s, stop_s, file_format, record_url, record_size, video_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (app_id, task_id, user_id, role) do update set start_s = excluded.start_s, stop_s = excluded.stop_s,
       file_format = excluded.file_format, record_url = excluded.record_url, record_size = excluded.record_size,
       video_id = excluded.video_id, deleted = false`,
    [appId, f.taskId, f.roomId, f.userId, f.role, f.startS, f.stopS, f.fileFormat, f.recordUrl, f.recordSize, f.videoId],
  );
}

/** The room's files that are not deleted: the mixed ones (`mixed`) or the members' streams. */
export async function filesOf(q: Queryable, appId: string, roomId: number, mixed: boolean): Promise<RecordFile[]> {
  const rows = await q.query<FileRow>(
    `select * from lcic_record_files where app_id = $1 and room_id = $2 and not deleted and (user_id = '') = $3
     order by start_s, task_id, user_id collate "C", role`,
    [appId, roomId, mixed],
  );
  return rows.rows.map(toFile);
}

/** The files of one task (deleted or not). */
export async function filesOfTask(q: Queryable, appId: string, taskId: string): Promise<RecordFile[]> {
  const rows = await q.query<FileRow>(
    `select * from lcic_record_files where app_id = $1 and task_id = $2 order by user_id collate "C", role`,
    [appId, taskId],
  );
  return rows.rows.map(toFile);
}

/** Deletes the files of the rooms; returns the rooms that had files left to delete. */
export async function deleteFiles(tx: Queryable, appId: string, roomIds: readonly number[]): Promise<number[]> {
  const rows = await tx.query<{ room_id: string | number }>(
    `update lcic_record_files set deleted = true where app_id = $1 and room_id = any($2::bigint[]) and not deleted
     returning room_id`,
    [appId, roomIds],
  );
  return [...new Set(rows.rows.map((r) => Number(r.room_id)))];
}

export interface PlaybackRow {
  roomId: number;
  /** When the first recording began, Unix s (the room's real start for signalling recording). */
  createS: number;
  durationS: number;
  /** Bytes of the mixed files; null when the room has only its signalling recording. */
  bytes: number | null;
}

/**
 * The app's rooms that have something to play back, newest first: those with mixed files
 * left, and the ended rooms recorded by signalling (DisableRecord 3); not those hidden by
 * DeletePlaybackItem.
 */
export async function playbackPage(
  q: Queryable,
  appId: string,
  roomId: number | null,
  limit: number,
  offset: number,
): Promise<{ total: number; items: PlaybackRow[] }> {
  const base = `
    with items as (
      select f.room_id, min(f.start_s) as create_s, sum(f.stop_s - f.start_s) as duration_s, sum(f.record_size) as bytes
      from lcic_record_files f
      where f.app_id = $1 and f.user_id = '' and not f.deleted and ($2::bigint is null or f.room_id = $2)
      group by f.room_id
      union all
      select r.room_id, r.real_start / 1000, 0, null
      from lcic_rooms r
      where r.app_id = $1 and ($2::bigint is null or r.room_id = $2) and r.status = 2 and r.real_start is not null
        and (r.config->>'DisableRecord')::int = 3
        and not exists (select 1 from lcic_record_files f where f.app_id = r.app_id and f.room_id = r.room_id and f.user_id = '' and not f.deleted))
    select * from items i
    where not exists (select 1 from lcic_playback_hidden h where h.app_id = $1 and h.room_id = i.room_id)`;
  const total = await q.query<{ n: number }>(`select count(*)::int as n from (${base}) t`, [appId, roomId]);
  const rows = await q.query<{ room_id: string; create_s: string; duration_s: string; bytes: string | null }>(
    `${base} order by create_s desc, room_id desc limit $3 offset $4`,
    [appId, roomId, limit, offset],
  );
  return {
    total: total.rows[0]!.n,
    items: rows.rows.map((r) => ({
      roomId: Number(r.room_id),
      createS: Number(r.create_s),
      durationS: Number(r.duration_s),
      bytes: r.bytes === null ? null : Number(r.bytes),
    })),
  };
}

export async function hidePlayback(tx: Queryable, appId: string, roomId: number): Promise<void> {
  await tx.query("insert into lcic_playback_hidden (app_id, room_id) values ($1, $2) on conflict do nothing", [appId, roomId]);
}

/** The app's playback signing key, made on first use (two racing first uses agree on one). */
export async function playbackKey(q: Queryable, appId: string, fresh: string): Promise<string> {
  await q.query("insert into lcic_playback_keys (app_id, key) values ($1, $2) on conflict do nothing", [appId, fresh]);
  const rows = await q.query<{ key: string }>("select key from lcic_playback_keys where app_id = $1", [appId]);
  return rows.rows[0]!.key;
}

/**
 * Whose streams a RecordStream 1 recording keeps besides the mix ("老师、台上学生"): the
 * teacher (the room's TeacherId, or whoever joined as a teacher) and every member who went
 * on stage, as the room's event stream tells.
 */
export async function singleStreamUsers(q: Queryable, appId: string, roomId: number, teacherId: string): Promise<string[]> {
  const rows = await q.query<{ user_id: string }>(
    `select user_id from lcic_room_events
     where app_id = $1 and room_id = $2 and user_id <> '' and ((kind = 2 and role = 1) or kind = 16 or user_id = $3)
     group by user_id order by user_id collate "C"`,
    [appId, roomId, teacherId],
  );
  return rows.rows.map((r) => r.user_id);
}
