// SQL of the GME product: app switches, room presence, recording tasks and their streams.
import type { Queryable } from "../../storage/db.ts";
import { sqlState, UNIQUE_VIOLATION } from "../../storage/db.ts";
import { gmeErrors } from "./errors.ts";
import type { SubscribeFilter } from "./recording.ts";

// ---- app switches ----

export interface GmeAppSettings {
  projectId: number;
  recordingOpened: boolean;
  /** Seconds an emptied room waits before its recording stops; null = never. */
  emptyRoomStopSeconds: number | null;
  appKey: string | null;
  profile: Record<string, unknown>;
}

/**
 * Recording is NOT opened by default: in the cloud an app's server-side recording is a
 * service switched on in the GME console (there is no API for it), and until then the
 * recording actions answer UnsupportedOperation.ServiceNotOpened. Here the switch is the
 * admin route `POST /admin/v1/gme/apps/:bizId/recording`.
 */
export const DEFAULT_SETTINGS: GmeAppSettings = {
  projectId: 0,
  recordingOpened: false,
  emptyRoomStopSeconds: 60,
  appKey: null,
  profile: {},
};

interface SettingsRow {
  project_id: number;
  recording_opened: boolean;
  empty_room_stop_s: number | null;
  app_key: string | null;
  profile: Record<string, unknown>;
}

export async function appSettings(q: Queryable, appId: string): Promise<GmeAppSettings> {
  const rows = await q.query<SettingsRow>("select * from gme_apps where app_id = $1", [appId]);
  const r = rows.rows[0];
  if (!r) return DEFAULT_SETTINGS;
  return {
    projectId: r.project_id,
    recordingOpened: r.recording_opened,
    emptyRoomStopSeconds: r.empty_room_stop_s,
    appKey: r.app_key,
    profile: r.profile,
  };
}

export async function settingsOfApps(q: Queryable, appIds: string[]): Promise<Map<string, GmeAppSettings>> {
  const rows = await q.query<SettingsRow & { app_id: string }>("select * from gme_apps where app_id = any($1::text[])", [appIds]);
  const out = new Map<string, GmeAppSettings>();
  for (const r of rows.rows) {
    out.set(r.app_id, {
      projectId: r.project_id,
      recordingOpened: r.recording_opened,
      emptyRoomStopSeconds: r.empty_room_stop_s,
      appKey: r.app_key,
      profile: r.profile,
    });
  }
  return out;
}

export async function saveAppSettings(q: Queryable, appId: string, s: GmeAppSettings, now: number): Promise<void> {
  await q.query(
    `insert into gme_apps (app_id, project_id, recording_opened, empty_room_stop_s, app_key, profile, created_at)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (app_id) do update set project_id = excluded.project_id, recording_opened = excluded.recording_opened,
       empty_room_stop_s = excluded.empty_room_stop_s, app_key = excluded.app_key, profile = excluded.profile`,
    [appId, s.projectId, s.recordingOpened, s.emptyRoomStopSeconds, s.appKey, JSON.stringify(s.profile), now],
  );
}

// ---- presence ----

/** The latest known half-states of one member, from a batch of events (ctime, Unix ms). */
export interface MemberChange {
  roomId: string;
  userId: string;
  presence: { inRoom: boolean; at: number } | null;
  audio: { sending: boolean; at: number } | null;
}

/**
 * Applies member changes. Each half (presence, audio) only moves when the event is at least
 * as recent as the one that set it, so late or reordered events never roll state back.
 * "-1" marks a half the change does not touch.
 */
export async function applyMemberChanges(tx: Queryable, appId: string, changes: MemberChange[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `insert into gme_room_members as m (app_id, room_id, user_id, in_room, presence_at, sending_audio, audio_at)
     select $1, r, u, ir, pa, sa, aa from unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::boolean[], $7::bigint[])
       as x(r, u, ir, pa, sa, aa)
     on conflict (app_id, room_id, user_id) do update set
       in_room = case when excluded.presence_at >= 0 and excluded.presence_at >= m.presence_at then excluded.in_room else m.in_room end,
       presence_at = greatest(m.presence_at, excluded.presence_at),
       sending_audio = case when excluded.audio_at >= 0 and excluded.audio_at >= m.audio_at then excluded.sending_audio else m.sending_audio end,
       audio_at = greatest(m.audio_at, excluded.audio_at)`,
    [
      appId,
      changes.map((c) => c.roomId),
      changes.map((c) => c.userId),
      changes.map((c) => c.presence?.inRoom ?? false),
      changes.map((c) => c.presence?.at ?? -1),
      changes.map((c) => c.audio?.sending ?? false),
      changes.map((c) => c.audio?.at ?? -1),
    ],
  );
}

export async function roomOccupied(q: Queryable, appId: string, roomId: string): Promise<boolean> {
  const rows = await q.query("select 1 from gme_room_members where app_id = $1 and room_id = $2 and in_room limit 1", [appId, roomId]);
  return rows.rows.length > 0;
}

/** Users in the room sending audio, in a stable order. */
export async function speakers(q: Queryable, appId: string, roomId: string): Promise<string[]> {
  const rows = await q.query<{ user_id: string }>(
    "select user_id from gme_room_members where app_id = $1 and room_id = $2 and in_room and sending_audio order by user_id",
    [appId, roomId],
  );
  return rows.rows.map((r) => r.user_id);
}

// ---- tasks ----

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

interface TaskRow {
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

const toTask = (r: TaskRow): RecordTask => ({
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
export async function markEmptiedRooms(tx: Queryable, appId: string, roomIds: string[], now: number): Promise<{ taskId: number; roomId: string }[]> {
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

// ---- streams ----

export interface RecordStream {
  userId: string;
  beginAt: number;
  status: number;
}

// One JSON value instead of a row per stream: a 500-speaker room's 501 entries come back
// several times faster this way (row decoding dominates, on PGlite especially).
const STREAMS_JSON = `(select coalesce(json_agg(json_build_array(s.user_id, s.begin_at, s.status) order by s.begin_at, s.user_id), '[]')
  from gme_record_streams s where s.app_id = $1 and s.task_id = $2)`;
const toStreams = (s: [string, number, number][]): RecordStream[] => s.map(([userId, beginAt, status]) => ({ userId, beginAt, status }));

export async function streamsOf(q: Queryable, appId: string, taskId: number): Promise<RecordStream[]> {
  const rows = await q.query<{ s: [string, number, number][] }>(`select ${STREAMS_JSON} as s`, [appId, taskId]);
  return toStreams(rows.rows[0]!.s);
}

/**
 * DescribeRecordInfo's read in one round trip: whether the app's recording is opened, and
 * the task with its streams (null when there is no such task).
 */
export async function recordInfoRead(
  q: Queryable,
  appId: string,
  taskId: number,
): Promise<{ opened: boolean; found: { task: RecordTask; streams: RecordStream[] } | null }> {
  const rows = await q.query<TaskRow & { opened: boolean; streams: [string, number, number][] | null }>(
    `select coalesce((select recording_opened from gme_apps where app_id = $1), $3) as opened, t.*,
       case when t.task_id is null then null else ${STREAMS_JSON} end as streams
     from (select 1) as one left join gme_record_tasks t on t.app_id = $1 and t.task_id = $2`,
    [appId, taskId, DEFAULT_SETTINGS.recordingOpened],
  );
  const r = rows.rows[0]!;
  return { opened: r.opened, found: r.task_id === null ? null : { task: toTask(r), streams: toStreams(r.streams ?? []) } };
}

/**
 * Records that a stream's recording began, if the task is still recording and its current
 * mode and list want this stream ("0": the mix). Returns whether an entry was created; a
 * stream that already began keeps its entry and begin time.
 */
export async function beginStream(tx: Queryable, appId: string, taskId: number, userId: string, at: number, now: number): Promise<boolean> {
  const rows = await tx.query(
    `insert into gme_record_streams (app_id, task_id, user_id, begin_at, status, updated_at)
     select t.app_id, t.task_id, $3, $4, 2, $5 from gme_record_tasks t
     where t.app_id = $1 and t.task_id = $2 and t.state = 'recording'
       and case when $3 = '0' then t.record_mode in (2, 3)
           else t.record_mode in (1, 3)
             and (t.subscribe_user_ids is null or $3 = any(t.subscribe_user_ids))
             and (t.unsubscribe_user_ids is null or not ($3 = any(t.unsubscribe_user_ids))) end
     on conflict (app_id, task_id, user_id) do nothing`,
    [appId, taskId, userId, at, now],
  );
  return rows.rowCount > 0;
}

/** Moves a stream forward; false when the guard (not recording, not backwards) refused. */
export async function advanceStream(tx: Queryable, appId: string, taskId: number, userId: string, status: number, now: number): Promise<boolean> {
  const rows = await tx.query(
    `update gme_record_streams s set status = $4, updated_at = $5
     from gme_record_tasks t
     where s.app_id = $1 and s.task_id = $2 and s.user_id = $3
       and t.app_id = s.app_id and t.task_id = s.task_id
       and s.status <= $4 and (t.state <> 'recording' or s.status = $4)`,
    [appId, taskId, userId, status, now],
  );
  return rows.rowCount > 0;
}

export async function streamStatus(q: Queryable, appId: string, taskId: number, userId: string): Promise<number | null> {
  const rows = await q.query<{ status: number }>(
    "select status from gme_record_streams where app_id = $1 and task_id = $2 and user_id = $3",
    [appId, taskId, userId],
  );
  return rows.rows[0]?.status ?? null;
}

export async function allStreamsNotified(q: Queryable, appId: string, taskId: number): Promise<boolean> {
  const rows = await q.query("select 1 from gme_record_streams where app_id = $1 and task_id = $2 and status < 14 limit 1", [appId, taskId]);
  return rows.rows.length === 0;
}

/** Several streams' status moves of one batch: each stream once, its reports' first and last status. */
export interface StreamMoves {
  taskIds: number[];
  userIds: string[];
  firsts: number[];
  lasts: number[];
}

/**
 * Applies many status moves in one statement, only if every one of them passes the guard
 * advanceStream applies to each report (not backwards; while recording, a repeat only);
 * otherwise changes nothing. Returns whether they were applied. The acceptance check reads
 * the same rows the UPDATE then writes, in one statement: one snapshot.
 */
export async function advanceStreamsIfAll(tx: Queryable, appId: string, m: StreamMoves, now: number): Promise<boolean> {
  const rows = await tx.query(
    `with input as (
       select * from unnest($2::bigint[], $3::text[], $4::int[], $5::int[]) as i(task_id, user_id, first_status, last_status)),
     accepted as (
       select count(*)::int as n from input i
       join gme_record_streams s on s.app_id = $1 and s.task_id = any($2::bigint[]) and s.task_id = i.task_id and s.user_id = i.user_id
       join gme_record_tasks t on t.app_id = s.app_id and t.task_id = s.task_id
       where s.status <= i.first_status
         and (t.state <> 'recording' or (s.status = i.first_status and i.last_status = i.first_status)))
     update gme_record_streams s set status = i.last_status, updated_at = $6
     from input i
     where (select n from accepted) = $7
       and s.app_id = $1 and s.task_id = any($2::bigint[]) and s.task_id = i.task_id and s.user_id = i.user_id`,
    [appId, m.taskIds, m.userIds, m.firsts, m.lasts, now, m.taskIds.length],
  );
  return rows.rowCount === m.taskIds.length;
}
