// Retention of QoS samples: a job on the domain clock that, every hour, creates the day
// partitions of today and tomorrow ahead of the writers and drops every partition whose
// whole day is older than the retention window (default five days, the API's queryable
// range; ROOMLEDGER_RTC_RETENTION_DAYS). Dropping a partition is a catalog operation: no
// row is scanned or deleted one by one.
import type { JobType } from "../../jobs/queue.ts";
import type { ProductContext } from "../../product-context.ts";
import type { RtcSettings } from "./settings.ts";
import { DAY_MS, qosStoreOf } from "./qos-store.ts";

export const MAINTAIN_JOB = "rtc.qos.maintain";
const EVERY_MS = 3600_000;

/** Keyed by the hour it is due in, so the next run can be queued while this one runs. */
const slot = (t: number): string => `${MAINTAIN_JOB}:${Math.floor(t / EVERY_MS)}`;

export async function scheduleMaintenance(ctx: ProductContext<RtcSettings>, runAt: number): Promise<void> {
  await ctx.jobs.enqueue(MAINTAIN_JOB, {}, { runAt, singletonKey: slot(runAt) });
}

/** Drops the expired partitions; returns the days dropped (Unix ms of their first instant). */
export async function maintainPartitions(ctx: ProductContext<RtcSettings>): Promise<number[]> {
  const store = qosStoreOf(ctx.db);
  const now = ctx.clock.now();
  await store.ensurePartitions(ctx.db, [now, now + DAY_MS]);
  const cutoff = now - ctx.settings.retentionDays * DAY_MS;
  const dropped: number[] = [];
  for (const day of await store.listPartitions(ctx.db)) {
    if (day + DAY_MS <= cutoff) {
      await store.dropPartition(ctx.db, day);
      dropped.push(day);
    }
  }
  if (dropped.length > 0)
    ctx.log.info({ dropped: dropped.map((d) => new Date(d).toISOString().slice(0, 10)) }, "rtc: dropped QoS partitions");
  return dropped;
}

/** Built with the product's context (database, clock, settings); the start-up hook queues its first run. */
export function maintenanceJob(ctx: ProductContext<RtcSettings>): JobType<Record<string, never>> {
  return {
    name: MAINTAIN_JOB,
    async run() {
      await maintainPartitions(ctx);
      await scheduleMaintenance(ctx, ctx.clock.now() + EVERY_MS);
    },
  };
}
