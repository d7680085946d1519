// SQL of device reports: presence, sessions starting and ending, metric samples. Everything
// here runs inside the ingest batch's transaction.
import type { Queryable } from "../../storage/db.ts";
import { QUALITY_RULE } from "./quality.ts";
import { addToDay } from "./rollup-store.ts";

export interface DeviceRef {
  device_id: string;
  device_type: "field" | "remote";
  device_no: number;
}

export async function devicesOf(q: Queryable, appId: string, ids: string[]): Promise<Map<string, DeviceRef>> {
  const res = await q.query<DeviceRef>(
    "select device_id, device_type, device_no from trro_devices where app_id = $1 and device_id = any($2::text[])",
    [appId, [...new Set(ids)]],
  );
  return new Map(res.rows.map((r) => [r.device_id, r]));
}

/** Any report is a sign of life: last report (device time) and last seen (server time). */
export async function touchDevices(
  q: Queryable,
  appId: string,
  touches: { deviceId: string; ctime: number; online: boolean }[],
  stime: number,
): Promise<void> {
  if (touches.length === 0) return;
  // The last event of each device in the batch decides its online flag.
  const last = new Map<string, { ctime: number; online: boolean }>();
  for (const t of touches) {
    const prev = last.get(t.deviceId);
    last.set(t.deviceId, { ctime: Math.max(prev?.ctime ?? 0, t.ctime), online: t.online });
  }
  const ids = [...last.keys()];
  await q.query(
    `update trro_devices d set online = u.online, last_seen = $5,
       last_report_time = greatest(d.last_report_time, u.ctime)
     from unnest($2::text[], $3::bigint[], $4::bool[]) as u(device_id, ctime, online)
     where d.app_id = $1 and d.device_id = u.device_id`,
    [appId, ids, ids.map((id) => last.get(id)!.ctime), ids.map((id) => last.get(id)!.online), stime],
  );
}

export interface SessionSides {
  session_id: string;
  field_device_id: string;
  remote_device_id: string;
  start_time: number;
  end_time: number | null;
}

export async function sessionsOf(q: Queryable, appId: string, ids: string[], lock = false): Promise<Map<string, SessionSides>> {
  const res = await q.query<SessionSides>(
    `select session_id, field_device_id, remote_device_id, start_time, end_time from trro_sessions
     where app_id = $1 and session_id = any($2::text[]) ${lock ? "for update" : ""}`,
    [appId, [...new Set(ids)]],
  );
  return new Map(res.rows.map((r) => [r.session_id, r]));
}

export interface SideInfo {
  width?: number;
  height?: number;
  configWidth?: number;
  configHeight?: number;
  ver?: string;
  sdkMode?: string;
  multiMode?: number;
}

/** First report of a session (by either side): creates it; false if it exists already. */
export async function insertSession(
  q: Queryable,
  s: {
    appId: string;
    sessionId: string;
    fieldDeviceId: string;
    remoteDeviceId: string;
    fieldNo: number;
    remoteNo: number;
    side: "field" | "remote";
    resolution: string;
    ctime: number;
    stime: number;
    info: SideInfo;
  },
): Promise<boolean> {
  const f = s.side === "field";
  const res = await q.query(
    `insert into trro_sessions (app_id, session_id, field_device_id, remote_device_id, resolution, start_time,
       field_last, remote_last, field_seen, remote_seen, last_report_time, field_info, remote_info, field_no, remote_no)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $6, $11, $12, $13, $14)
     on conflict (app_id, session_id) do nothing returning session_id`,
    [
      s.appId,
      s.sessionId,
      s.fieldDeviceId,
      s.remoteDeviceId,
      s.resolution,
      s.ctime,
      f ? s.ctime : null,
      f ? null : s.ctime,
      f ? s.stime : null,
      f ? null : s.stime,
      f ? JSON.stringify(s.info) : null,
      f ? null : JSON.stringify(s.info),
      s.fieldNo,
      s.remoteNo,
    ],
  );
  return res.rows.length === 1;
}

/**
 * The other side (or a repeat) reports the start: merge its view into the session. A closed
 * session is final (it is in the day rollups): its start no longer moves.
 */
export async function joinSession(
  q: Queryable,
  s: { appId: string; sessionId: string; side: "field" | "remote"; resolution: string; ctime: number; stime: number; info: SideInfo },
): Promise<void> {
  const side = s.side === "field" ? "field" : "remote";
  // The field side's camera is what is watched: its resolution wins over the remote's.
  const resolution =
    side === "field" ? "case when $5 <> '' then $5 else resolution end" : "case when resolution = '' then $5 else resolution end";
  await q.query(
    `update trro_sessions set start_time = case when end_time is null then least(start_time, $3) else start_time end,
       ${side}_last = greatest(${side}_last, $3),
       ${side}_seen = greatest(${side}_seen, $4), last_report_time = greatest(last_report_time, $3),
       resolution = ${resolution}, ${side}_info = $6
     where app_id = $1 and session_id = $2`,
    [s.appId, s.sessionId, s.ctime, s.stime, s.resolution, JSON.stringify(s.info)],
  );
}

/** A side reports the end (the first end wins; a closed session is not reopened). */
export async function endSession(
  q: Queryable,
  s: { appId: string; sessionId: string; side: "field" | "remote"; ctime: number; stime: number },
): Promise<void> {
  const side = s.side;
  const before = await q.query<{ end_time: number | null }>(
    "select end_time from trro_sessions where app_id = $1 and session_id = $2 for update",
    [s.appId, s.sessionId],
  );
  await q.query(
    `update trro_sessions set end_time = coalesce(end_time, greatest($3, start_time)),
       ${side}_last = greatest(${side}_last, $3), ${side}_seen = greatest(${side}_seen, $4),
       last_report_time = greatest(last_report_time, $3)
     where app_id = $1 and session_id = $2`,
    [s.appId, s.sessionId, s.ctime, s.stime],
  );
  if (before.rows[0] && before.rows[0].end_time === null) await sessionClosed(q, s.appId, s.sessionId);
}

/** Whatever follows a session's close, in its transaction: the duration bound and the rollup. */
export async function sessionClosed(q: Queryable, appId: string, sessionId: string): Promise<void> {
  await bumpMaxDuration(q, appId, sessionId);
  await addToDay(q, appId, sessionId);
}

/**
 * Keeps trro_projects.max_duration_ms at least the duration of every closed session: window
 * queries rely on it to bound their index range (session-queries.ts).
 */
export async function bumpMaxDuration(q: Queryable, appId: string, sessionId: string): Promise<void> {
  await q.query(
    `update trro_projects p set max_duration_ms = s.end_time - s.start_time
     from trro_sessions s
     where p.app_id = $1 and s.app_id = $1 and s.session_id = $2 and s.end_time is not null
       and s.end_time - s.start_time > p.max_duration_ms`,
    [appId, sessionId],
  );
}

export interface SampleInput {
  sessionId: string;
  deviceId: string;
  t: number;
  m: Record<string, unknown>;
  poor: boolean;
  bad: boolean;
}

/**
 * Stores samples (a repeated (session, device, time) is a retry: stored once) and folds the
 * new ones into their sessions' quality counters and per-side liveness. Returns how many
 * were new.
 */
export async function storeSamples(q: Queryable, appId: string, samples: SampleInput[], stime: number): Promise<number> {
  if (samples.length === 0) return 0;
  const d = QUALITY_RULE.tailShareDenominator;
  const res = await q.query<{ accepted: number }>(
    `with input as (
       select distinct on (session_id, device_id, t) *
       from unnest($2::text[], $3::text[], $4::bigint[], $5::jsonb[], $6::bool[], $7::bool[])
         as u(session_id, device_id, t, m, poor, bad)),
     ins as (
       insert into trro_samples (app_id, session_id, device_id, t, m)
       select $1, session_id, device_id, t, m from input
       on conflict do nothing
       returning session_id, device_id, t),
     agg as (
       select i.session_id, count(*)::int as n, count(*) filter (where u.poor)::int as np,
              count(*) filter (where u.bad)::int as nb,
              max(i.t) filter (where i.device_id = s.field_device_id) as fl,
              max(i.t) filter (where i.device_id = s.remote_device_id) as rl
       from ins i join input u using (session_id, device_id, t)
       join trro_sessions s on s.app_id = $1 and s.session_id = i.session_id
       group by i.session_id),
     upd as (
       update trro_sessions s set
         samples = s.samples + a.n, poor_samples = s.poor_samples + a.np, bad_samples = s.bad_samples + a.nb,
         -- quality.ts sessionQuality, in SQL (the session has at least one sample here).
         quality = case when (s.bad_samples + a.nb) * $9 > s.samples + a.n then 'bad'
                        when (s.poor_samples + a.np) * $9 > s.samples + a.n then 'normal'
                        else 'good' end,
         field_last = case when a.fl is null then s.field_last else greatest(s.field_last, a.fl) end,
         remote_last = case when a.rl is null then s.remote_last else greatest(s.remote_last, a.rl) end,
         field_seen = case when a.fl is null then s.field_seen else $8 end,
         remote_seen = case when a.rl is null then s.remote_seen else $8 end,
         last_report_time = greatest(s.last_report_time, a.fl, a.rl)
       -- A closed session is final (it is in the day rollups): later samples are kept for
       -- the details but change neither its quality nor its times.
       from agg a where s.app_id = $1 and s.session_id = a.session_id and s.end_time is null
       returning 1)
     select (select count(*) from ins)::int as accepted`,
    [
      appId,
      samples.map((s) => s.sessionId),
      samples.map((s) => s.deviceId),
      samples.map((s) => s.t),
      samples.map((s) => JSON.stringify(s.m)),
      samples.map((s) => s.poor),
      samples.map((s) => s.bad),
      stime,
      d,
    ],
  );
  return res.rows[0]!.accepted;
}
