// SQL of the streams of GME recording tasks (gme_record_streams), and the one-query read of
// DescribeRecordInfo (task, streams and the app's switch together).
import type { Queryable } from "../../storage/db.ts";
import { DEFAULT_SETTINGS } from "./settings-store.ts";
import { toTask, type RecordTask, type TaskRow } from "./task-store.ts";

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
 * DescribeRecordInfo's read in one round trip: whether the app's recording is opened (and the
 * app not closed by ModifyAppStatus), and
 * the task with its streams (null when there is no such task).
 */
export async function recordInfoRead(
  q: Queryable,
  appId: string,
  taskId: number,
): Promise<{ opened: boolean; found: { task: RecordTask; streams: RecordStream[] } | null }> {
  const rows = await q.query<TaskRow & { opened: boolean; streams: [string, number, number][] | null }>(
    `select coalesce((select recording_opened and not app_closed from gme_apps where app_id = $1), $3) as opened, t.*,
       case when t.task_id is null then null else ${STREAMS_JSON} end as streams
     from (select 1) as one left join gme_record_tasks t on t.app_id = $1 and t.task_id = $2`,
    [appId, taskId, DEFAULT_SETTINGS.recordingOpened],
  );
  const r = rows.rows[0]!;
  return { opened: r.opened, found: r.task_id === null ? null : { task: toTask(r), streams: toStreams(r.streams ?? []) } };
}

/**
 * Records that a stream's recording began, if the task is still recording, its current
 * mode and list want this stream ("0": the mix), and the server has not muted the user
 * (ModifyUserMicStatus). Returns whether an entry was created; a
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
             and (t.unsubscribe_user_ids is null or not ($3 = any(t.unsubscribe_user_ids)))
             and not exists (select 1 from gme_room_members m
                             where m.app_id = t.app_id and m.room_id = t.room_id and m.user_id = $3 and m.mic_disabled) end
     on conflict (app_id, task_id, user_id) do nothing`,
    [appId, taskId, userId, at, now],
  );
  return rows.rowCount > 0;
}

/** Moves a stream forward; false when the guard (not recording, not backwards) refused. */
export async function advanceStream(
  tx: Queryable,
  appId: string,
  taskId: number,
  userId: string,
  status: number,
  now: number,
): Promise<boolean> {
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
  const rows = await q.query("select 1 from gme_record_streams where app_id = $1 and task_id = $2 and status < 14 limit 1", [
    appId,
    taskId,
  ]);
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
