// The recurring retention run (src/storage/retention.ts): every hour of domain time, the
// platform's rules (ingest event log, finished agent tasks) and those the products declare
// (LCIC room log, GME presence history), each with its configured window. Keyed by the hour
// it is due in, so the next run can be queued while this one runs and several instances on
// one PostgreSQL run it once. A run cut short by its time budget (a first run on a large
// backlog) comes back after a minute instead of an hour.
import type { Logger } from "pino";
import type { Db } from "../storage/db.ts";
import { runRetention, type RetentionDays, type RetentionRule } from "../storage/retention.ts";
import type { Clock } from "../time/clock.ts";
import type { JobQueue, JobType } from "./queue.ts";

export const RETENTION_JOB = "platform.retention";
const EVERY_MS = 3600_000;
const SOON_MS = 60_000;

const slot = (t: number): string => `${RETENTION_JOB}:${Math.floor(t / EVERY_MS)}`;

export interface RetentionJobContext {
  db: Db;
  clock: Clock;
  jobs: Pick<JobQueue, "enqueue">;
  log: Logger;
  rules: readonly RetentionRule[];
  days: RetentionDays;
}

export async function scheduleRetention(ctx: Pick<RetentionJobContext, "jobs">, runAt: number): Promise<void> {
  await ctx.jobs.enqueue(RETENTION_JOB, {}, { runAt, singletonKey: slot(runAt) });
}

export function retentionJob(ctx: RetentionJobContext): JobType<Record<string, never>> {
  return {
    name: RETENTION_JOB,
    async run() {
      const now = ctx.clock.now();
      const run = await runRetention(ctx.db, ctx.rules, ctx.days, now);
      if (Object.values(run.deleted).some((n) => n > 0))
        ctx.log.info({ deleted: run.deleted, complete: run.complete }, "retention: deleted expired rows");
      await scheduleRetention(ctx, now + (run.complete ? EVERY_MS : SOON_MS));
    },
  };
}
