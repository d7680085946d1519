// The day rollups of closed sessions (trro_session_days): per China Standard Time day of a
// session's start, the count, duration, bad count and the bitmaps of field and remote
// devices. A session enters its day once, when it closes (closed sessions are final).
// Devices are counted by number: a device deleted and created again under the same id is a
// new device (so are the statistics read session by session, which count numbers too).
import type { Queryable } from "../../storage/db.ts";
import { BUCKET_OFFSET_MS } from "./session-window.ts";

export const DAY_MS = 86_400_000;

/** The CST day (its start, Unix ms) that holds time t. */
export const dayOf = (t: number): number => Math.floor((t + BUCKET_OFFSET_MS) / DAY_MS) * DAY_MS - BUCKET_OFFSET_MS;

// bytea b with bit n set, grown as needed (set_bit numbers bits as device-bitmap.ts reads them).
const withBit = (b: string, n: string) =>
  `set_bit(case when length(${b}) * 8 > ${n} then ${b} else ${b} || decode(repeat('00', ${n} / 8 + 1 - length(${b})), 'hex') end, ${n}, 1)`;

/** Adds a session that has just closed to its day. */
export async function addToDay(q: Queryable, appId: string, sessionId: string): Promise<void> {
  const day = `(((s.start_time + ${BUCKET_OFFSET_MS}) / ${DAY_MS}) * ${DAY_MS} - ${BUCKET_OFFSET_MS})`;
  await q.query(
    `insert into trro_session_days (app_id, day)
     select s.app_id, ${day} from trro_sessions s where s.app_id = $1 and s.session_id = $2 and s.end_time is not null
     on conflict (app_id, day) do nothing`,
    [appId, sessionId],
  );
  await q.query(
    `update trro_session_days d set sessions = d.sessions + 1, duration_ms = d.duration_ms + (s.end_time - s.start_time),
       bad_sessions = d.bad_sessions + (s.quality = 'bad')::int,
       field_bits = ${withBit("d.field_bits", "s.field_no")}, remote_bits = ${withBit("d.remote_bits", "s.remote_no")}
     from trro_sessions s
     where s.app_id = $1 and s.session_id = $2 and s.end_time is not null and d.app_id = $1 and d.day = ${day}`,
    [appId, sessionId],
  );
}

/**
 * Rebuilds a project's rollups from its closed sessions (after a bulk load, or to repair).
 * The bitmaps are built here from the distinct device numbers of each day.
 */
export async function rebuildDays(q: Queryable, appId: string): Promise<void> {
  await q.query("delete from trro_session_days where app_id = $1", [appId]);
  const days = await q.query<{ day: number; sessions: number; duration_ms: number; bad: number; f: number[]; r: number[] }>(
    `select ((start_time + ${BUCKET_OFFSET_MS}) / ${DAY_MS}) * ${DAY_MS} - ${BUCKET_OFFSET_MS} as day,
            count(*)::int as sessions, sum(end_time - start_time)::bigint as duration_ms,
            count(*) filter (where quality = 'bad')::int as bad,
            array_agg(distinct field_no) as f, array_agg(distinct remote_no) as r
     from trro_sessions where app_id = $1 and end_time is not null group by 1`,
    [appId],
  );
  if (days.rows.length === 0) return;
  const bits = (ns: number[]) => {
    const b = Buffer.alloc((Math.max(0, ...ns) >> 3) + 1);
    for (const n of ns) b[n >> 3]! |= 1 << (n & 7);
    return b;
  };
  await q.query(
    `insert into trro_session_days (app_id, day, sessions, duration_ms, bad_sessions, field_bits, remote_bits)
     select $1, * from unnest($2::bigint[], $3::int[], $4::bigint[], $5::int[], $6::bytea[], $7::bytea[])`,
    [
      appId,
      days.rows.map((d) => d.day),
      days.rows.map((d) => d.sessions),
      days.rows.map((d) => d.duration_ms),
      days.rows.map((d) => d.bad),
      days.rows.map((d) => bits(d.f)),
      days.rows.map((d) => bits(d.r)),
    ],
  );
}

export interface DaySums {
  sessions: number;
  duration_ms: number;
  bad_sessions: number;
  field_bits: Uint8Array[];
  remote_bits: Uint8Array[];
}

/** The days in [fromDay, toDay) summed; bitmaps returned for the caller to merge. */
export async function daySums(q: Queryable, appId: string, fromDay: number, toDay: number): Promise<DaySums> {
  const res = await q.query<{
    sessions: number;
    duration_ms: number;
    bad_sessions: number;
    field_bits: Uint8Array;
    remote_bits: Uint8Array;
  }>(
    `select sessions, duration_ms, bad_sessions, field_bits, remote_bits from trro_session_days
     where app_id = $1 and day >= $2 and day < $3`,
    [appId, fromDay, toDay],
  );
  return {
    sessions: res.rows.reduce((a, r) => a + r.sessions, 0),
    duration_ms: res.rows.reduce((a, r) => a + r.duration_ms, 0),
    bad_sessions: res.rows.reduce((a, r) => a + r.bad_sessions, 0),
    field_bits: res.rows.map((r) => r.field_bits),
    remote_bits: res.rows.map((r) => r.remote_bits),
  };
}
