// SQL of the duration queries (GetTotalDuration, GetDurationDetails): the session time of
// a window by resolution and multi-network flag, in total or per China Standard Time day.
// Sessions are selected and clipped exactly as for DescribeSessionStatistics
// (session-window.ts): the part of each session inside the window, an open session up to its
// last report; per day, the part inside that day too.
import type { Db } from "../../storage/db.ts";
import type { DurationPart } from "./duration-tiers.ts";
import { DAY_MS } from "./rollup-store.ts";
import { selection, windowParams } from "./session-queries.ts";
import { BUCKET_OFFSET_MS, type MsWindow } from "./session-window.ts";

// Either side said it runs on several networks (report-events.ts: multiMode 1).
const MULTI = `(coalesce((field_info->>'multiMode')::int, 0) = 1 or coalesce((remote_info->>'multiMode')::int, 0) = 1) as multi`;
const COLUMNS = `start_time, end_time, last_report_time, resolution, ${MULTI}`;

export interface DayPart extends DurationPart {
  day: number;
}

/** Session time of the window by (resolution, multi); deviceId: either side. */
export async function durationParts(db: Db, appId: string, w: MsWindow, deviceId?: string): Promise<DurationPart[]> {
  return db.transaction(async (tx) => {
    await tx.query("set transaction isolation level repeatable read");
    const p = await windowParams(tx, appId, w, deviceId);
    const res = await tx.query<DurationPart>(
      `select x.resolution, x.multi,
              sum(greatest(least(coalesce(x.end_time, x.last_report_time), $3) - greatest(x.start_time, $2), 0))::bigint as ms
       from ${selection(COLUMNS, deviceId !== undefined)} x
       group by x.resolution, x.multi`,
      p,
    );
    return res.rows.map((r) => ({ ...r, ms: Number(r.ms) }));
  });
}

/** Session time of the window per CST day (start of the day, Unix ms) and (resolution, multi). */
export async function dayDurationParts(db: Db, appId: string, w: MsWindow, deviceId?: string): Promise<DayPart[]> {
  return db.transaction(async (tx) => {
    await tx.query("set transaction isolation level repeatable read");
    const p = await windowParams(tx, appId, w, deviceId);
    const off = `$${p.length + 1}::bigint`;
    const step = `$${p.length + 2}::bigint`;
    const lo = "greatest(x.start_time, $2)";
    const hi = "least(coalesce(x.end_time, x.last_report_time), $3 - 1)";
    const res = await tx.query<DayPart>(
      `select k.b as day, x.resolution, x.multi,
              sum(greatest(least(coalesce(x.end_time, x.last_report_time), $3, k.b + ${step}) - greatest(x.start_time, $2, k.b), 0))::bigint as ms
       from ${selection(COLUMNS, deviceId !== undefined)} x
       cross join lateral generate_series(((${lo} + ${off}) / ${step}) * ${step} - ${off},
                                          ((greatest(${hi}, ${lo}) + ${off}) / ${step}) * ${step} - ${off}, ${step}) as k(b)
       group by k.b, x.resolution, x.multi
       order by k.b`,
      [...p, BUCKET_OFFSET_MS, DAY_MS],
    );
    return res.rows.map((r) => ({ ...r, day: Number(r.day), ms: Number(r.ms) }));
  });
}
