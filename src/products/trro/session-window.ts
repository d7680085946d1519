// Which sessions a StartTime/EndTime window selects, and in what order. Pure.
//
// - A window is [StartTime, EndTime] in Unix seconds, both inclusive (EndTime covers its whole
//   second). A session is selected when it OVERLAPS the window: it started at or before the
//   window's end and had not ended before its start. An open session counts as lasting until
//   its last report so far. StartTime absent = 0; EndTime absent = no upper bound.
// - DeviceId matches either side of the session (field or remote).
// - Order: newest first by start time, then by SessionId (descending), a total order.
// - Paging is stable while sessions arrive when the window has an EndTime (as the seed's
//   request does): new sessions start after it and never enter the window, and a session
//   never leaves a window once in it (its end only grows from its last report to its end),
//   so PageNumber N shows the same sessions on every call. Without an EndTime, sessions
//   that start meanwhile are added at the top, and pages move down by as many.
// Times inside are Unix ms; [fromMs, toMs) with toMs exclusive.
import { unixSeconds } from "./wire-format.ts";

export interface MsWindow {
  fromMs: number;
  toMs: number;
}

/** No upper bound: a time far beyond any session, still a safe integer in SQL bigint. */
export const OPEN_END_MS = 8_640_000_000_000_000;

export function msWindow(startTime: number | undefined, endTime: number | undefined): MsWindow {
  return {
    fromMs: (startTime ?? 0) * 1000,
    toMs: endTime === undefined ? OPEN_END_MS : (endTime + 1) * 1000,
  };
}

/** DescribeRecentSessionList: at most the last two hours; out-of-range ends are clamped. */
export function recentWindow(startTime: number | undefined, endTime: number | undefined, nowMs: number): MsWindow {
  const floor = nowMs - 2 * 3600 * 1000;
  const from = startTime === undefined || startTime * 1000 < floor ? floor : startTime * 1000;
  const to = endTime === undefined || (endTime + 1) * 1000 > nowMs ? nowMs + 1 : (endTime + 1) * 1000;
  return { fromMs: from, toMs: Math.max(from, to) };
}

/**
 * DescribeSessionStatistics(ByInterval): StartTime absent = 0, EndTime absent = now (raised
 * to StartTime when StartTime is later, so the window is never inverted).
 */
export function statisticsWindow(startTime: number | undefined, endTime: number | undefined, nowMs: number): MsWindow {
  const end = endTime ?? unixSeconds(nowMs);
  return msWindow(startTime, Math.max(end, startTime ?? 0));
}

export type Interval = "hour" | "day" | "month";

// Day and month buckets follow China Standard Time (UTC+8), the real service's time zone
// (its times are rendered in +08:00); hours are the same in both.
export const BUCKET_OFFSET_MS = 8 * 3600 * 1000;
