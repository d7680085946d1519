// SQL reads of sessions: the list, counts, statistics and the per-side samples. The window
// semantics are in session-window.ts.
//
// Index use: a closed session overlapping [from, to) started no earlier than
// from - max_duration_ms (the project's longest closed session, kept by report-store.ts), so
// closed sessions are found on the start_time index within [from - max, to); open sessions
// come from the partial index of open sessions. With a DeviceId, the per-side indexes.
import type { Db, Queryable } from "../../storage/db.ts";
import { countDevices } from "./device-bitmap.ts";
import { DAY_MS, dayOf, daySums } from "./rollup-store.ts";
import type { MsWindow, Interval } from "./session-window.ts";
import { BUCKET_OFFSET_MS } from "./session-window.ts";

export interface SessionRow {
  session_id: string;
  remote_device_id: string;
  field_device_id: string;
  resolution: string;
  start_time: number;
  end_time: number | null;
  last_report_time: number;
  quality: string;
}

const COLUMNS = "session_id, remote_device_id, field_device_id, resolution, start_time, end_time, last_report_time, quality";

/**
 * The sessions of the window as a FROM item, with $1 app, $2 from, $3 to, $4 the lowest
 * start a closed session of the window can have (from - the project's longest closed
 * session), $5 device (only with a device): a UNION ALL of index-range arms, so that each
 * arm is one range scan and an ordered read can merge them. Closed sessions come from
 * start-time ranges (by default [$4, to)), open ones from the partial index of open
 * sessions. With a device, one set of arms per side (a device is on one side of a session).
 */
export function selection(
  columns: string,
  withDevice: boolean,
  closedRanges: [string, string][] = [["$4::bigint", "$3::bigint"]],
  armTail = "",
): string {
  const sides = withDevice ? ["field_device_id = $5::text", "remote_device_id = $5::text and field_device_id <> $5::text"] : ["true"];
  const arms: string[] = [];
  for (const side of sides) {
    for (const [lo, hi] of closedRanges) {
      arms.push(`(select ${columns} from trro_sessions where app_id = $1 and ${side} and end_time is not null
                 and start_time >= ${lo} and start_time < ${hi} and end_time >= $2::bigint ${armTail})`);
    }
    arms.push(`(select ${columns} from trro_sessions where app_id = $1 and ${side} and end_time is null
               and start_time < $3::bigint and last_report_time >= $2::bigint ${armTail})`);
  }
  return `(${arms.join("\n union all\n")})`;
}

/**
 * The parameters of selection(). The bound is read in the caller's transaction (the same
 * snapshot as the query) and passed as a value, so the planner sees the real range.
 */
/** [app, from, to, lowest closed start, device?]: the parameters selection() reads. */
export type WindowParams = unknown[];

export async function windowParams(q: Queryable, appId: string, w: MsWindow, deviceId: string | undefined): Promise<WindowParams> {
  const m = await q.query<{ m: number }>("select max_duration_ms as m from trro_projects where app_id = $1", [appId]);
  const lo = w.fromMs - (m.rows[0]?.m ?? 0);
  return deviceId === undefined ? [appId, w.fromMs, w.toMs, lo] : [appId, w.fromMs, w.toMs, lo, deviceId];
}

/** Sessions of the window; p from windowParams (in the same transaction). */
export async function countSessions(q: Queryable, p: WindowParams): Promise<number> {
  const res = await q.query<{ n: number }>(`select count(*)::int as n from ${selection("session_id", p.length === 5)} x`, p);
  return res.rows[0]!.n;
}

/** One page of the window, newest first; p from windowParams (in the same transaction). */
export async function pageSessions(q: Queryable, p: WindowParams, limit: number, offset: number): Promise<SessionRow[]> {
  // Each arm reads its first offset+limit rows in index order (an ordered index scan that
  // stops early), and the merge takes the page from them.
  const order = "order by start_time desc, session_id desc";
  const res = await q.query<SessionRow>(
    `select ${COLUMNS} from ${selection(COLUMNS, p.length === 5, undefined, `${order} limit $${p.length + 3}`)} x
     ${order} limit $${p.length + 1} offset $${p.length + 2}`,
    [...p, limit, offset, offset + limit],
  );
  return res.rows;
}

export interface Totals {
  sessions: number;
  duration_ms: number;
  field_devices: number;
  remote_devices: number;
  bad_sessions: number;
}

// Duration counts the part of each session inside the window (an open session up to its
// last report).
const clippedMs = "least(coalesce(end_time, last_report_time), $3) - greatest(start_time, $2)";

/**
 * Totals of the sessions overlapping the window. Project-wide, the closed sessions that
 * start on a whole CST day inside [from, to - max_duration) lie entirely in the window, so
 * those days are read from the day rollups (rollup-store.ts); every other session (the
 * window's edges, open sessions, or all of a device's) is read one by one. Both parts in
 * one snapshot.
 */
export async function sessionTotals(db: Db, appId: string, w: MsWindow, deviceId?: string): Promise<Totals> {
  return db.transaction(async (tx) => {
    await tx.query("set transaction isolation level repeatable read");
    const p = await windowParams(tx, appId, w, deviceId);
    let fullFrom = 0;
    let fullTo = 0;
    if (deviceId === undefined) {
      const first = dayOf(w.fromMs);
      fullFrom = first === w.fromMs ? first : first + DAY_MS;
      fullTo = Math.max(fullFrom, dayOf(w.toMs - (w.fromMs - (p[3] as number))));
    }
    // With whole days from the rollups, closed sessions are read only around them.
    const ranges: [string, string][] | undefined =
      fullTo > fullFrom
        ? [
            ["$4::bigint", `$${p.length + 1}::bigint`],
            [`$${p.length + 2}::bigint`, "$3::bigint"],
          ]
        : undefined;
    const raw = await tx.query<{ sessions: number; duration_ms: number; bad_sessions: number; f: number[] | null; r: number[] | null }>(
      `select count(*)::int as sessions, coalesce(sum(greatest(${clippedMs}, 0)), 0)::bigint as duration_ms,
              count(*) filter (where quality = 'bad')::int as bad_sessions,
              array_agg(distinct field_no) as f, array_agg(distinct remote_no) as r
       from ${selection("start_time, end_time, last_report_time, field_no, remote_no, quality", deviceId !== undefined, ranges)} x`,
      ranges ? [...p, fullFrom, fullTo] : p,
    );
    const r = raw.rows[0]!;
    const days = fullTo > fullFrom ? await daySums(tx, appId, fullFrom, fullTo) : null;
    return {
      sessions: r.sessions + (days?.sessions ?? 0),
      duration_ms: r.duration_ms + (days?.duration_ms ?? 0),
      bad_sessions: r.bad_sessions + (days?.bad_sessions ?? 0),
      field_devices: countDevices(days?.field_bits ?? [], r.f ?? []),
      remote_devices: countDevices(days?.remote_bits ?? [], r.r ?? []),
    };
  });
}

export interface BucketTotals extends Totals {
  bucket_start: number;
  bucket_end: number;
}

/**
 * Totals per hour/day/month bucket (China Standard Time): a session counts in every bucket
 * it overlaps, with the part of its duration inside that bucket (and the window), so each
 * bucket equals DescribeSessionStatistics over that bucket. Only buckets with sessions.
 */
export async function bucketTotals(db: Db, appId: string, w: MsWindow, interval: Interval, deviceId?: string): Promise<BucketTotals[]> {
  return db.transaction(async (q) => {
    await q.query("set transaction isolation level repeatable read");
    const p = await windowParams(q, appId, w, deviceId);
    const off = `$${p.length + 1}::bigint`;
    const lo = "greatest(x.start_time, $2)";
    const hi = "least(coalesce(x.end_time, x.last_report_time), $3 - 1)";
    const buckets =
      interval === "month"
        ? `select (extract(epoch from m) * 1000)::bigint - ${off} as b0,
                  (extract(epoch from m + interval '1 month') * 1000)::bigint - ${off} as b1
           from generate_series(date_trunc('month', to_timestamp((${lo} + ${off}) / 1000.0) at time zone 'UTC'),
                                date_trunc('month', to_timestamp((greatest(${hi}, ${lo}) + ${off}) / 1000.0) at time zone 'UTC'),
                                interval '1 month') as m`
        : `select b as b0, b + $${p.length + 2}::bigint as b1
           from generate_series(((${lo} + ${off}) / $${p.length + 2}::bigint) * $${p.length + 2}::bigint - ${off},
                                ((greatest(${hi}, ${lo}) + ${off}) / $${p.length + 2}::bigint) * $${p.length + 2}::bigint - ${off},
                                $${p.length + 2}::bigint) as b`;
    const step = interval === "hour" ? 3600_000 : 86_400_000;
    const res = await q.query<BucketTotals>(
      `select k.b0 as bucket_start, k.b1 as bucket_end, count(*)::int as sessions,
              sum(greatest(least(coalesce(x.end_time, x.last_report_time), $3, k.b1) - greatest(x.start_time, $2, k.b0), 0))::bigint as duration_ms,
              count(distinct x.field_no)::int as field_devices, count(distinct x.remote_no)::int as remote_devices,
              count(*) filter (where x.quality = 'bad')::int as bad_sessions
       from ${selection("start_time, end_time, last_report_time, field_no, remote_no, quality", deviceId !== undefined)} x
       cross join lateral (${buckets}) k
       group by k.b0, k.b1 order by k.b0`,
      interval === "month" ? [...p, BUCKET_OFFSET_MS] : [...p, BUCKET_OFFSET_MS, step],
    );
    return res.rows;
  });
}

export interface FullSessionRow extends SessionRow {
  field_info: Record<string, unknown> | null;
  remote_info: Record<string, unknown> | null;
}

export async function getSession(q: Queryable, appId: string, sessionId: string): Promise<FullSessionRow | null> {
  const res = await q.query<FullSessionRow>(
    `select ${COLUMNS}, field_info, remote_info from trro_sessions where app_id = $1 and session_id = $2`,
    [appId, sessionId],
  );
  return res.rows[0] ?? null;
}

export interface SampleRow {
  device_id: string;
  t: number;
  m: Record<string, unknown>;
}

export async function sessionSamples(q: Queryable, appId: string, sessionId: string, fromMs: number, toMs: number): Promise<SampleRow[]> {
  const res = await q.query<SampleRow>(
    `select device_id, t, m from trro_samples where app_id = $1 and session_id = $2 and t >= $3 and t < $4 order by device_id, t`,
    [appId, sessionId, fromMs, toMs],
  );
  return res.rows;
}
