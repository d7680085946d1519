// Closing sessions whose devices went silent. Each session has one watch job, due one
// silence period (per project, default 60 s of domain time) after the side it last heard
// from least recently. When it runs (only sides that have reported count):
// - the session is closed already: nothing to do;
// - every side has been silent for the whole period: the session ends at its last report
//   (device time);
// - one side is silent and the other still reports: the session ends at the silent side's
//   last report. A link does not outlive either of its ends, so a vehicle that vanishes
//   ends its session even while the console keeps reporting;
// - otherwise it is due again when a side could first be silent.
// Idempotent: closing sets end_time only where it is still null.
import type { JobType } from "../../jobs/queue.ts";
import type { ProductContext } from "../../product-context.ts";
import { sessionClosed } from "./report-store.ts";

export const SILENCE_JOB = "trro.session.silence";

interface Payload {
  appId: string;
  sessionId: string;
}

interface WatchRow {
  end_time: number | null;
  start_time: number;
  field_last: number | null;
  remote_last: number | null;
  field_seen: number | null;
  remote_seen: number | null;
  last_report_time: number;
  silence_ms: number;
}

/** Pure: what the watch decides for a session at `now`. */
export function silenceVerdict(s: WatchRow, now: number): { close: number } | { recheckAt: number } | null {
  if (s.end_time !== null) return null;
  const sides = [
    { seen: s.field_seen, last: s.field_last },
    { seen: s.remote_seen, last: s.remote_last },
  ].filter((x): x is { seen: number; last: number | null } => x.seen !== null);
  const silent = sides.filter((x) => x.seen + s.silence_ms <= now);
  if (sides.length > 0 && silent.length === 0) return { recheckAt: Math.min(...sides.map((x) => x.seen)) + s.silence_ms };
  const end = silent.length === sides.length ? s.last_report_time : Math.max(...silent.map((x) => x.last ?? s.start_time));
  return { close: Math.max(s.start_time, end) };
}

export function silenceJob(ctx: ProductContext): JobType<Payload> {
  return {
    name: SILENCE_JOB,
    async run({ appId, sessionId }) {
      await ctx.db.transaction(async (tx) => {
        const res = await tx.query<WatchRow>(
          `select s.end_time, s.start_time, s.field_last, s.remote_last, s.field_seen, s.remote_seen,
                  s.last_report_time, p.silence_ms
           from trro_sessions s join trro_projects p using (app_id)
           where s.app_id = $1 and s.session_id = $2 for update of s`,
          [appId, sessionId],
        );
        const row = res.rows[0];
        if (!row) return; // the project or its devices were deleted
        const verdict = silenceVerdict(row, ctx.clock.now());
        if (verdict === null) return;
        if ("close" in verdict) {
          await tx.query("update trro_sessions set end_time = $3 where app_id = $1 and session_id = $2 and end_time is null", [
            appId,
            sessionId,
            verdict.close,
          ]);
          await sessionClosed(tx, appId, sessionId);
        } else {
          await ctx.jobs.enqueue(SILENCE_JOB, { appId, sessionId }, { runAt: verdict.recheckAt, tx });
        }
      });
    },
  };
}
