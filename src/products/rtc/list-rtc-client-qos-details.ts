// ListRtcClientQosDetails: GET /v1/{project_id}/rtc/client/qos/details (seed 001).
//
// Choices where Huawei is silent, written down here:
// - Parameters are checked in the order app_id, room_id, mid, start_time, end_time for
//   presence (DATA.100011001, the seed's wording), then every value (RTC.00001003).
// - A parameter given twice is refused, except `mid`, which may be repeated
//   (`mid=a&mid=b`, what the SDK sends for an array) and/or comma-separated (`mid=a,b`).
//   An empty optional parameter counts as absent; unknown parameters are ignored, as
//   Huawei's (Spring) services ignore them.
// - `limit`/`offset` page over the entries of `data` (one per uid × peerid × stream ×
//   direction × mid), in the order uid, peerid, stream, direction, then the metric order of
//   metrics.ts; default limit 100, at most 1000; default offset 0. Every entry carries all
//   its points in the window, time ascending.
// - A user with two streams (or both directions towards one peer) gets one entry per stream
//   and direction: the wire has no stream field, and merging two series would mix values.
// - `domain` is accepted and not used: roomledger apps have no per-app domain.
// - An app id that does not exist, belongs to another account, or is not an RTC app gets
//   one and the same answer (400 RTC.00001003 "app_id not found"), so ids of other
//   accounts cannot be probed.
// - A room without samples answers 200 with `data: []`.
// - One answer holds at most MAX_ANSWER_POINTS points (≈ 22 MB of JSON; a day of one
//   metric is 43,200, an hour of all metrics ≈ 41,400): beyond, 400 RTC.00001003 asks for
//   a narrower window, fewer metrics or a lower limit. Without a bound a room-wide day of
//   every metric (limit 1000) would be a gigabyte-sized answer built in memory.
import type { HuaweiCall, HuaweiRoute } from "../../protocols/huawei/route.ts";
import type { ProductContext } from "../../product-context.ts";
import { rtcErrors as E } from "./errors.ts";
import { METRIC_IDS, isMetricId, type MetricId } from "./metrics.ts";
import { type QosStore, sameKey, type QosQuery, type SeriesKey, type StreamSamples } from "./qos-store.ts";
import { DOWNLINK, UPLINK } from "./qos-sample.ts";
import { parseUtcSecond, windowProblem } from "./query-window.ts";
import { qosDetailsJson, type QosEntry } from "./qos-details-json.ts";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const MAX_ANSWER_POINTS = 500_000;
const REQUIRED = ["app_id", "room_id", "mid", "start_time", "end_time"] as const;
const SINGLE = [
  "app_id",
  "room_id",
  "start_time",
  "end_time",
  "user_id",
  "peer_id",
  "stream_id",
  "direction",
  "time_type",
  "limit",
  "offset",
  "domain",
];

export interface QosDetailsRequest {
  query: QosQuery;
  limit: number;
  offset: number;
}

/** Parses and validates the query string; throws the wire error of the first problem. */
export function parseQosDetailsRequest(pairs: readonly [string, string][], now: number): QosDetailsRequest {
  const values = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    const list = values.get(k);
    if (list) list.push(v);
    else values.set(k, [v]);
  }
  for (const name of REQUIRED) if (!values.has(name)) throw E.missingParameter(name);
  for (const name of SINGLE) if ((values.get(name)?.length ?? 0) > 1) throw E.invalidValue(`${name} must be given once`);
  const one = (name: string): string | undefined => {
    const v = values.get(name)?.[0];
    // No id can hold NUL (PostgreSQL text cannot): a value with one matches nothing.
    if (v?.includes("\u0000")) throw E.invalidValue(`${name} must not contain NUL characters`);
    return v === "" ? undefined : v;
  };
  const required = (name: string): string => {
    const v = one(name);
    if (v === undefined) throw E.invalidValue(`${name} must not be empty`);
    return v;
  };
  const appId = required("app_id");
  const roomId = required("room_id");
  if (roomId.length > 64) throw E.invalidValue("room_id is longer than 64 characters");
  const mids = parseMids(values.get("mid")!);
  const start = parseUtcSecond(required("start_time"));
  if (start === null) throw E.invalidValue("start_time must be a UTC time yyyy-mm-ddThh:mm:ssZ");
  const end = parseUtcSecond(required("end_time"));
  if (end === null) throw E.invalidValue("end_time must be a UTC time yyyy-mm-ddThh:mm:ssZ");

  const uid = one("user_id");
  const peerId = one("peer_id");
  const streamId = one("stream_id");
  const directionText = one("direction");
  let direction: number | undefined;
  // The English doc says uplink/downlink; the server-side QoS API of the same family uses up/down.
  if (directionText === "uplink" || directionText === "up") direction = UPLINK;
  else if (directionText === "downlink" || directionText === "down") direction = DOWNLINK;
  else if (directionText !== undefined) throw E.invalidValue("direction must be uplink or downlink");
  const timeType = one("time_type") ?? "ctime";
  if (timeType !== "ctime" && timeType !== "stime") throw E.invalidValue("time_type must be ctime or stime");
  const limit = integer(one("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = integer(one("offset"), "offset", 0, 0, Number.MAX_SAFE_INTEGER);

  const problem = windowProblem(start, end, now, uid !== undefined);
  if (problem) throw E.invalidValue(problem);
  return {
    query: { appId, roomId, uid, peerId, streamId, direction, from: start, to: end + 999, timeField: timeType, mids },
    limit,
    offset,
  };
}

function parseMids(raw: readonly string[]): MetricId[] {
  const items = raw.flatMap((v) => v.split(","));
  if (items.length === 0 || items.every((m) => m === "")) throw E.invalidValue("mid must name at least one metric or all");
  const out = new Set<MetricId>();
  for (const m of items) {
    if (m === "all") for (const id of METRIC_IDS) out.add(id);
    else if (isMetricId(m)) out.add(m);
    else throw E.invalidValue(`mid '${m.slice(0, 32)}' is not a metric id (${METRIC_IDS.join(", ")} or all)`);
  }
  return METRIC_IDS.filter((m) => out.has(m));
}

function integer(v: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  if (!/^\d{1,16}$/.test(v)) throw E.invalidValue(`${name} must be an integer from ${min} to ${max}`);
  const n = Number(v);
  if (n < min || n > max) throw E.invalidValue(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

const entryOf = (stream: StreamSamples, mid: MetricId): QosEntry => ({
  key: stream.key,
  mid,
  times: stream.times,
  values: stream.values[mid]!,
  points: stream.points[mid]!,
});

export function listRtcClientQosDetails(ctx: ProductContext, store: QosStore): HuaweiRoute {
  return {
    method: "GET",
    path: "/:project_id/rtc/client/qos/details",
    name: "ListRtcClientQosDetails",
    async handler(call: HuaweiCall) {
      const { caller } = call;
      const req = parseQosDetailsRequest(call.query, ctx.clock.now());
      const app = await ctx.tenancy.lookupApp(req.query.appId, caller.account.accountId);
      if (app.kind !== "own" || !app.app.products.includes("rtc")) throw E.invalidValue("app_id not found");
      const q = req.query;
      let page: QosEntry[];
      if (q.uid !== undefined) {
        // One user (the hot path, bounded by the user's streams): one query, paged here.
        const streams = await store.samples(ctx.db, q, null, q.mids);
        const all: QosEntry[] = [];
        for (const stream of streams) for (const mid of q.mids) if (stream.points[mid]! > 0) all.push(entryOf(stream, mid));
        page = all.slice(req.offset, req.offset + req.limit);
        checkAnswerSize(page.reduce((n, e) => n + e.points, 0));
      } else {
        // A whole room may hold many users: find the series first, fetch only the page's.
        const keys = (await store.series(ctx.db, q)).slice(req.offset, req.offset + req.limit);
        checkAnswerSize(keys.reduce((n, s) => n + s.points, 0));
        const streamKeys: SeriesKey[] = [];
        for (const s of keys) if (!streamKeys.some((k) => sameKey(k, s.key))) streamKeys.push(s.key);
        const mids = METRIC_IDS.filter((m) => keys.some((s) => s.mid === m));
        const streams = keys.length === 0 ? [] : await store.samples(ctx.db, q, streamKeys, mids);
        page = [];
        for (const s of keys) {
          const stream = streams.find((x) => sameKey(x.key, s.key));
          if (stream) page.push(entryOf(stream, s.mid));
        }
      }
      return qosDetailsJson(q.roomId, page);
    },
  };
}

function checkAnswerSize(points: number): void {
  if (points > MAX_ANSWER_POINTS) {
    throw E.invalidValue(
      `the answer would hold ${points} points, more than ${MAX_ANSWER_POINTS}: narrow the time window, ask for fewer metrics or lower the limit`,
    );
  }
}
