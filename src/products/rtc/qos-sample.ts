// A QoS sample as clients report it, and the columnar batch the store writes. Pure domain:
// the schema (compiled once by ajv where it is used), the checks beyond the schema, and the
// conversion into columns.
import { Type, type Static, type TNumber, type TOptional } from "@sinclair/typebox";
import { METRIC_IDS, type MetricId } from "./metrics.ts";

// PostgreSQL text cannot hold NUL: refused here rather than failing the insert.
const NO_NUL = "^[^\\u0000]*$";
const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: NO_NUL, description });

/** float4 holds up to ~3.4e38; QoS values are non-negative (rates, bitrates, pixels, ms). */
const MetricValue = Type.Number({ minimum: 0, maximum: 1e30 });

export const QosMetrics = Type.Object(
  Object.fromEntries(METRIC_IDS.map((m) => [m, Type.Optional(MetricValue)])) as Record<MetricId, TOptional<TNumber>>,
  { additionalProperties: false, minProperties: 1, description: "any non-empty subset of the 23 metric ids" },
);

/** The `data` of an `rtc.qos` event (generic ingest API) and, with `ctime`, one NDJSON line. */
export const QosSampleData = Type.Object(
  {
    room_id: Id("room id"),
    uid: Id("the user who sends the stream"),
    peer_id: Type.Optional(Id('the user who receives it; "0" (default) for the sender\'s own uplink measurement')),
    stream_id: Type.Optional(Type.String({ maxLength: 64, pattern: NO_NUL, description: 'stream id (default "")' })),
    direction: Type.Optional(
      Type.Union([Type.Literal("uplink"), Type.Literal("downlink")], { description: 'default: uplink when peer_id is "0", else downlink' }),
    ),
    metrics: QosMetrics,
  },
  { additionalProperties: false },
);
export type QosSampleData = Static<typeof QosSampleData>;

export const QosLine = Type.Object(
  {
    ctime: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ maxLength: 40 })], {
      description: "client time of the measurement: Unix ms or ISO-8601 with a zone",
    }),
    ...QosSampleData.properties,
  },
  { additionalProperties: false },
);

export const UPLINK = 0;
export const DOWNLINK = 1;

/** A sample's client time may not run ahead of the server by more than this (clock skew). */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;

const FLOAT4_MIN_NORMAL = 1.1754943508222875e-38;
/**
 * Values are stored as `real` (float4): rounded here, and values too small for a normal
 * float4 (which PostgreSQL refuses as an underflow) become 0, meaningless for QoS metrics.
 */
const toReal = (v: number): number => (v < FLOAT4_MIN_NORMAL ? 0 : Math.fround(v));

/**
 * Columns of one app's samples, ready for a bulk insert. The metric values live in
 * Float64Arrays (NaN = absent), not arrays of numbers: a request of 2,000 samples holds
 * ~44,000 values until its commit, long enough for V8 to promote them, and as boxed numbers
 * they were most of the old-generation garbage that made the server's heap grow under
 * sustained ingest (measured with `RTC_BENCH_TRACE_RSS=1 npm run bench -- rtc`).
 */
export class QosBatch {
  readonly room: string[] = [];
  readonly uid: string[] = [];
  readonly peer: string[] = [];
  readonly stream: string[] = [];
  readonly direction: number[] = [];
  readonly ctime: number[] = [];
  private columns: Float64Array[] = METRIC_IDS.map(() => new Float64Array(64));
  points = 0;

  get size(): number {
    return this.ctime.length;
  }

  /** Metric `m` (index in METRIC_IDS) of row `r`, or null when the sample lacks it. */
  value(m: number, r: number): number | null {
    const v = this.columns[m]![r]!;
    return Number.isNaN(v) ? null : v;
  }

  /**
   * Metric `m` of rows [from, to) as a PostgreSQL array literal ("{812,NULL,...}"), the text
   * form both drivers send for an array parameter, built without an array of boxed numbers.
   */
  metricLiteral(m: number, from = 0, to = this.size): string {
    const col = this.columns[m]!;
    let out = "{";
    for (let r = from; r < to; r++) {
      const v = col[r]!;
      out += (r === from ? "" : ",") + (Number.isNaN(v) ? "NULL" : String(v));
    }
    return `${out}}`;
  }

  /** What the schema cannot check; returns the reason the sample is refused, or null. */
  static problem(d: QosSampleData, ctime: number, stime: number): string | null {
    const peer = d.peer_id ?? "0";
    const direction = d.direction ?? (peer === "0" ? "uplink" : "downlink");
    if ((direction === "uplink") !== (peer === "0")) {
      return 'direction and peer_id disagree: uplink samples have peer_id "0", downlink samples name the receiving peer';
    }
    if (ctime > stime + MAX_FUTURE_MS) return "ctime is more than 24 hours ahead of the server's time";
    return null;
  }

  /** Checks and appends; returns the reason when the sample is refused. */
  add(d: QosSampleData, ctime: number, stime: number): string | null {
    const problem = QosBatch.problem(d, ctime, stime);
    if (problem) return problem;
    const peer = d.peer_id ?? "0";
    const direction = d.direction ?? (peer === "0" ? "uplink" : "downlink");
    const r = this.size;
    if (r === this.columns[0]!.length) this.grow(2 * r);
    this.room.push(d.room_id);
    this.uid.push(d.uid);
    this.peer.push(peer);
    this.stream.push(d.stream_id ?? "");
    this.direction.push(direction === "uplink" ? UPLINK : DOWNLINK);
    this.ctime.push(ctime);
    const m = d.metrics as Partial<Record<MetricId, number>>;
    for (let i = 0; i < METRIC_IDS.length; i++) {
      const v = m[METRIC_IDS[i]!];
      this.columns[i]![r] = v === undefined ? NaN : toReal(v);
      if (v !== undefined) this.points++;
    }
    return null;
  }

  private grow(capacity: number): void {
    this.columns = this.columns.map((col) => {
      const bigger = new Float64Array(capacity);
      bigger.set(col);
      return bigger;
    });
  }

  /** Keeps only rows whose ctime is at or after `cutoff`; returns how many were dropped. */
  dropBefore(cutoff: number): number {
    const keep: number[] = [];
    for (let r = 0; r < this.size; r++) if (this.ctime[r]! >= cutoff) keep.push(r);
    const dropped = this.size - keep.length;
    if (dropped === 0) return 0;
    const pick = <T>(a: T[]) => {
      const v = keep.map((r) => a[r]!);
      a.length = 0;
      a.push(...v);
    };
    pick(this.room);
    pick(this.uid);
    pick(this.peer);
    pick(this.stream);
    pick(this.direction);
    this.points = 0;
    for (const col of this.columns) {
      keep.forEach((r, k) => (col[k] = col[r]!));
      for (let k = 0; k < keep.length; k++) if (!Number.isNaN(col[k]!)) this.points++;
    }
    pick(this.ctime);
    return dropped;
  }
}
