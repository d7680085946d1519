// Shapes of values on the TRRO wire. Pure functions.

// ModifyTime / LastReportTime are RFC 3339 strings in China Standard Time in every example
// of the real API ("2022-03-22T13:08:04+08:00"), so we render them the same way.
const CST_OFFSET_MS = 8 * 3600 * 1000;

export function cstTime(ms: number): string {
  const d = new Date(ms + CST_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`
  );
}

/** A device that never reported has no LastReportTime: the empty string (the field is a string). */
export const cstTimeOrEmpty = (ms: number | null): string => (ms === null ? "" : cstTime(ms));

export const unixSeconds = (ms: number): number => Math.floor(ms / 1000);

/** Resolution as the real API writes it: "1920*1080"; empty when no side reported a size. */
export function resolution(width: number | undefined, height: number | undefined): string {
  return width && height ? `${width}*${height}` : "";
}

/** Offset of a page (PageNumber from 1). */
export const pageOffset = (pageNumber: number, pageSize: number): number => (pageNumber - 1) * pageSize;

/** Characters, not bytes: the documented name limits count characters (Chinese names too). */
export const charLength = (s: string): number => [...s].length;
