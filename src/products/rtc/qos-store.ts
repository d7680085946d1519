// SQL of the QoS samples: bulk insert into day partitions created on demand, the two
// queries of ListRtcClientQosDetails, and the partition list for retention.
import type { Db, Queryable } from "../../storage/db.ts";
import { sqlState } from "../../storage/db.ts";
import { METRIC_IDS, type MetricId } from "./metrics.ts";
import type { QosBatch } from "./qos-sample.ts";

export const DAY_MS = 86_400_000;
const PARTITION_PREFIX = "rtc_qos_samples_p";
const NO_PARTITION = "23514"; // check_violation: "no partition of relation found for row"
const DUPLICATE_TABLE = "42P07";

const dayStart = (t: number): number => Math.floor(t / DAY_MS) * DAY_MS;
export const partitionName = (day: number): string => PARTITION_PREFIX + new Date(day).toISOString().slice(0, 10).replace(/-/g, "");

const INSERT_SQL = `insert into rtc_qos_samples
  (app_id, stime, room_id, uid, peer_id, stream_id, direction, ctime, ${METRIC_IDS.join(", ")})
  select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int2[], $8::int8[],
    ${METRIC_IDS.map((_, i) => `$${i + 9}::float4[]`).join(", ")})
  on conflict do nothing`;

export interface SeriesKey {
  uid: string;
  peerId: string;
  streamId: string;
  direction: number;
}

/** One stream's samples in a window, as the series text the answer is written from. */
export interface StreamSamples {
  key: SeriesKey;
  /** Sample times, Unix seconds, comma-separated, ascending. */
  times: string;
  /** Per metric, the values aligned with `times`, comma-separated ("" where a sample lacks it). */
  values: Partial<Record<MetricId, string>>;
  /** Per metric, how many samples have it. */
  points: Partial<Record<MetricId, number>>;
}

export interface QosQuery {
  appId: string;
  roomId: string;
  uid?: string;
  peerId?: string;
  streamId?: string;
  direction?: number;
  /** Inclusive bounds, Unix ms, on `timeField`. */
  from: number;
  to: number;
  timeField: "ctime" | "stime";
  mids: readonly MetricId[];
}

/** Thrown when a cached partition was gone: run the whole transaction again. */
export class PartitionMissing extends Error {}

const stores = new WeakMap<object, QosStore>();
/** One store (and partition cache) per database handle. */
export function qosStoreOf(db: object): QosStore {
  let s = stores.get(db);
  if (!s) stores.set(db, (s = new QosStore()));
  return s;
}

export class QosStore {
  /** Day partitions known to exist (this process created or saw them). */
  private readonly partitions = new Set<number>();

  async ensurePartitions(q: Queryable, times: Iterable<number>): Promise<void> {
    const days = new Set<number>();
    for (const t of times) {
      const d = dayStart(t);
      if (!this.partitions.has(d)) days.add(d);
    }
    for (const d of days) {
      try {
        await q.query(
          `create table if not exists ${partitionName(d)} partition of rtc_qos_samples for values from (${d}) to (${d + DAY_MS})`,
        );
      } catch (err) {
        // Another instance created it between our check and our create.
        if (sqlState(err) !== DUPLICATE_TABLE && sqlState(err) !== "23505") throw err;
      }
      this.partitions.add(d);
    }
  }

  forgetPartition(day: number): void {
    this.partitions.delete(day);
  }

  /**
   * Inserts the batch (in chunks); returns how many samples were new. A partition dropped
   * by another instance since we cached it is recreated once.
   */
  async insert(q: Queryable, appId: string, stime: number, batch: QosBatch, chunk = 5_000): Promise<number> {
    await this.ensurePartitions(q, uniqueDays(batch.ctime));
    let accepted = 0;
    for (let from = 0; from < batch.size; from += chunk) {
      const to = Math.min(batch.size, from + chunk);
      const whole = from === 0 && to === batch.size;
      const column = <T>(a: T[]): T[] => (whole ? a : a.slice(from, to));
      const params = [
        appId,
        stime,
        column(batch.room),
        column(batch.uid),
        column(batch.peer),
        column(batch.stream),
        column(batch.direction),
        column(batch.ctime),
        ...METRIC_IDS.map((_, m) => batch.metricLiteral(m, from, to)),
      ];
      try {
        accepted += (await q.query(INSERT_SQL, params)).rowCount;
      } catch (err) {
        // A partition we cached was dropped (retention elsewhere): recreate, retry once. On
        // PostgreSQL the failed statement aborted the transaction, so the caller retries it.
        if (sqlState(err) !== NO_PARTITION) throw err;
        this.partitions.clear();
        throw new PartitionMissing();
      }
    }
    return accepted;
  }

  /** The series (stream × metric with at least one value) in the window: keys and point counts. */
  async series(q: Queryable, query: QosQuery): Promise<{ key: SeriesKey; mid: MetricId; points: number }[]> {
    const { where, params } = filter(query);
    const counts = query.mids.map((m) => `count(${m})::int as ${m}`).join(", ");
    const res = await q.query<Record<string, unknown>>(
      `select uid, peer_id, stream_id, direction, ${counts} from rtc_qos_samples where ${where}
       group by uid, peer_id, stream_id, direction`,
      params,
    );
    const streams = res.rows.map((r) => ({ key: keyOf(r), counts: r })).sort((a, b) => compareKeys(a.key, b.key));
    const out: { key: SeriesKey; mid: MetricId; points: number }[] = [];
    for (const s of streams) {
      for (const m of query.mids) {
        const points = Number(s.counts[m]);
        if (points > 0) out.push({ key: s.key, mid: m, points });
      }
    }
    return out;
  }

  /**
   * The samples in the window, of the given streams (null: every stream the filter matches):
   * one row per stream with its times (Unix seconds) and each metric in time order (nulls
   * kept, aligned).
   *
   * Shaped for a day of one user at a 2-second cadence (43,200 samples), measured in
   * `npm run bench -- rtc`:
   * - The primary key is in stream-then-time order (migration 002), so an index scan feeds
   *   the ordered aggregates without a sort. The planner's row estimate for one busy user is
   *   the table's average, far too low, and it would pick a bitmap scan plus a sort instead
   *   (twice the time): bitmap scans are off for this one statement.
   * - Each series travels as one comma-separated text, not an array or a row per sample:
   *   both drivers parse arrays and rows value by value in JavaScript, which cost more than
   *   the query; the answer is written from the text (qos-details-json.ts).
   */
  async samples(db: Db, query: QosQuery, streams: readonly SeriesKey[] | null, mids: readonly MetricId[]): Promise<StreamSamples[]> {
    const { where, params } = filter(query);
    const n = params.length;
    const t = query.timeField;
    const only = streams
      ? ` and (uid, peer_id, stream_id, direction) in
         (select * from unnest($${n + 1}::text[], $${n + 2}::text[], $${n + 3}::text[], $${n + 4}::int2[]))`
      : "";
    if (streams) {
      params.push(
        streams.map((s) => s.uid),
        streams.map((s) => s.peerId),
        streams.map((s) => s.streamId),
        streams.map((s) => s.direction),
      );
    }
    const sql = `select uid, peer_id, stream_id, direction, string_agg((${t} / 1000)::text, ',' order by ${t}) as t,
         ${mids.map((m) => `string_agg(coalesce(${m}::text, ''), ',' order by ${t}) as ${m}, count(${m})::int as n_${m}`).join(", ")}
       from rtc_qos_samples where ${where}${only}
       group by uid, peer_id, stream_id, direction`;
    const res = await db.transaction(async (tx) => {
      await tx.query("set local enable_bitmapscan = off");
      return tx.query<Record<string, unknown>>(sql, params);
    });
    return res.rows
      .map((r) => ({
        key: keyOf(r),
        times: r.t as string,
        values: Object.fromEntries(mids.map((m) => [m, r[m] as string])),
        points: Object.fromEntries(mids.map((m) => [m, r[`n_${m}`] as number])),
      }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  /** Day partitions that exist, by their first millisecond. */
  async listPartitions(q: Queryable): Promise<number[]> {
    const res = await q.query<{ name: string }>(
      `select c.relname as name from pg_inherits i
       join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
       where p.relname = 'rtc_qos_samples'`,
    );
    const days: number[] = [];
    for (const { name } of res.rows) {
      const m = /^rtc_qos_samples_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (m) days.push(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
    }
    return days.sort((a, b) => a - b);
  }

  async dropPartition(q: Queryable, day: number): Promise<void> {
    await q.query(`drop table if exists ${partitionName(day)}`);
    this.partitions.delete(day);
  }
}

function uniqueDays(times: readonly number[]): Set<number> {
  const out = new Set<number>();
  for (const t of times) out.add(dayStart(t));
  return out;
}

// time_type=stime has no index of its own (one more index on the hottest table would cost
// every insert): it is answered from the (app, room, uid) prefix of the primary key across
// the retained partitions, i.e. slower than ctime queries, bounded by retention.
function filter(query: QosQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [query.appId, query.roomId, query.from, query.to];
  const clauses = ["app_id = $1", "room_id = $2", `${query.timeField} between $3 and $4`];
  const add = (column: string, value: unknown) => {
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  };
  if (query.uid !== undefined) add("uid", query.uid);
  if (query.peerId !== undefined) add("peer_id", query.peerId);
  if (query.streamId !== undefined) add("stream_id", query.streamId);
  if (query.direction !== undefined) add("direction", query.direction);
  return { where: clauses.join(" and "), params };
}

export const keyOf = (r: Record<string, unknown>): SeriesKey => ({
  uid: String(r.uid),
  peerId: String(r.peer_id),
  streamId: String(r.stream_id),
  direction: Number(r.direction),
});

const byte = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const compareKeys = (a: SeriesKey, b: SeriesKey): number =>
  byte(a.uid, b.uid) || byte(a.peerId, b.peerId) || byte(a.streamId, b.streamId) || a.direction - b.direction;
export const sameKey = (a: SeriesKey, b: SeriesKey): boolean => compareKeys(a, b) === 0;
