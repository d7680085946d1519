// The JSON text of a ListRtcClientQosDetails answer, written byte by byte into one Buffer.
//
// A day of one metric is 43,200 points. Built the obvious way (split the series, a number
// and a time string per point, a string per point, join) the answer cost ~10 MB of
// short-lived strings and numbers per query, and the server runs with a small young
// generation (bin/roomledger.js): that garbage doubled the query time (measured in
// `npm run bench -- rtc`). Here no value exists per point: times are parsed from the
// series text and printed as digits, values are copied as PostgreSQL printed them (a
// float4's shortest exact text, a valid JSON number: the ingest admits only finite values
// from 0 to 1e30).
import type { MetricId } from "./metrics.ts";
import type { SeriesKey } from "./qos-store.ts";

/** One entry of `data`: a stream's sample times and one metric's values, as series text. */
export interface QosEntry {
  key: SeriesKey;
  mid: MetricId;
  /** Unix seconds, comma-separated, ascending. */
  times: string;
  /** The values aligned with `times`, comma-separated; an empty item is a missing value. */
  values: string;
  /** Non-empty items of `values`. */
  points: number;
}

const DAY_S = 86_400;
const COMMA = 44;
// {"time":"yyyy-mm-ddThh:mm:ssZ","value":} and the comma before the next point.
const POINT_BYTES = 41;

export function qosDetailsJson(roomId: string, entries: readonly QosEntry[]): Buffer {
  const head = `{"room_id":${JSON.stringify(roomId)},"data":[`;
  let size = Buffer.byteLength(head) + 2;
  const prefixes = entries.map(
    (e) => `{"uid":${JSON.stringify(e.key.uid)},"peerid":${JSON.stringify(e.key.peerId)},"mid":"${e.mid}","data":[`,
  );
  entries.forEach((e, i) => (size += Buffer.byteLength(prefixes[i]!) + 3 + e.points * POINT_BYTES + e.values.length));
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  entries.forEach((e, i) => {
    if (i > 0) out[at++] = COMMA;
    at += out.write(prefixes[i]!, at);
    at = writePoints(out, at, e.times, e.values);
    at += out.write("]}", at, "latin1");
  });
  at += out.write("]}", at, "latin1");
  return out.subarray(0, at);
}

// Per day, its "yyyy-mm-ddT" bytes: answers span one or two days.
let cachedDay = NaN;
const dayBytes = Buffer.alloc(11);

function writePoints(out: Buffer, start: number, times: string, values: string): number {
  let at = start;
  let ti = 0;
  let vi = 0;
  let first = true;
  while (ti < times.length) {
    // The next time, parsed in place.
    let t = 0;
    for (let c = times.charCodeAt(ti); ti < times.length && c !== COMMA; c = times.charCodeAt(++ti)) t = t * 10 + (c - 48);
    ti++;
    const vEnd = nextComma(values, vi);
    if (vEnd > vi) {
      if (!first) out[at++] = COMMA;
      first = false;
      at += out.write('{"time":"', at, "latin1");
      at = writeTime(out, at, t);
      at += out.write('","value":', at, "latin1");
      for (let k = vi; k < vEnd; k++) out[at++] = values.charCodeAt(k);
      out[at++] = 125; // }
    }
    vi = vEnd + 1;
  }
  return at;
}

function nextComma(s: string, from: number): number {
  const i = s.indexOf(",", from);
  return i < 0 ? s.length : i;
}

/** yyyy-mm-ddThh:mm:ssZ of Unix second `t`. */
function writeTime(out: Buffer, at: number, t: number): number {
  const day = Math.floor(t / DAY_S);
  if (day !== cachedDay) {
    cachedDay = day;
    dayBytes.write(new Date(day * DAY_S * 1000).toISOString().slice(0, 11), "latin1");
  }
  dayBytes.copy(out, at);
  at += 11;
  const s = t - day * DAY_S;
  at = two(out, at, Math.floor(s / 3600));
  out[at++] = 58; // :
  at = two(out, at, Math.floor(s / 60) % 60);
  out[at++] = 58;
  at = two(out, at, s % 60);
  out[at++] = 90; // Z
  return at;
}

function two(out: Buffer, at: number, n: number): number {
  out[at] = 48 + Math.floor(n / 10);
  out[at + 1] = 48 + (n % 10);
  return at + 2;
}
