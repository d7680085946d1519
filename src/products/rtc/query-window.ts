// The time rules of ListRtcClientQosDetails (seed): only the last five days can be queried,
// the window may not exceed 24 hours, and only a single user's query may cross a UTC day.
// Pure: times in Unix ms, `now` from the domain clock.

export const QUERYABLE_DAYS = 5;
export const MAX_WINDOW_MS = 24 * 3600 * 1000;
const DAY_MS = 86_400_000;

const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** `yyyy-mm-ddThh:mm:ssZ` (UTC, whole seconds, nothing else) → Unix ms, or null. */
export function parseUtcSecond(s: string): number | null {
  const m = TIME.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  if (new Date(t).getUTCDate() !== d) return null; // 2024-02-30
  return t;
}

/** Unix ms → `yyyy-mm-ddThh:mm:ssZ`, the wire's time format (the answers are written by
 * qos-details-json.ts, which prints the same format without a string per point). */
export function formatUtcSecond(t: number): string {
  return `${new Date(t).toISOString().slice(0, 19)}Z`;
}

/**
 * Returns the reason the window is refused, or null. Boundaries (our choice where the seed
 * is silent): start exactly five days before now is allowed, a second earlier is not
 * (compared at whole seconds, as the parameters have no finer precision); a window of
 * exactly 24 hours is allowed; "crossing a day" means start and end fall on different UTC
 * dates (so a whole-day query without user_id is 00:00:00 to 23:59:59).
 */
export function windowProblem(start: number, end: number, now: number, singleUser: boolean): string | null {
  if (end < start) return "end_time must not be earlier than start_time";
  if (end - start > MAX_WINDOW_MS) return "the interval between start_time and end_time cannot exceed 24 hours";
  const earliest = Math.floor(now / 1000) * 1000 - QUERYABLE_DAYS * DAY_MS;
  if (start < earliest) return "only data from the past five days can be queried";
  if (!singleUser && Math.floor(start / DAY_MS) !== Math.floor(end / DAY_MS)) {
    return "cross-day queries are supported only for a single user (give user_id)";
  }
  return null;
}
