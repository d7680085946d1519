// Retention of QoS samples: a job on the domain clock that, every hour, creates the day
// partitions of today and tomorrow ahead of the writers and drops every partition whose
// whole day is older than the retention window (default five days, the API's queryable
// range; ROOMLEDGER_RTC_RETENTION_DAYS). Dropping a partition is a catalog operation: no
// row is scanned or deleted one by one.
import type { JobType } from "../../jobs/queue.ts";
import type { Platform } from "../../platform.ts";
import { DAY_MS, qosStoreOf } from "./qos-store.ts";

export const MAINTAIN_JOB = "rtc.qos.maintain";
const EVERY_MS = 3600_000;

/** Keyed by the hour it is due in, so the next run can be queued while this one runs. */
const slot = (t: number): string => `${MAINTAIN_JOB}:${Math.floor(t / EVERY_MS)}`;

export async function scheduleMaintenance(platform: Platform, runAt: number): Promise<void> {
  await platform.jobs.enqueue(MAINTAIN_JOB, {}, { runAt, singletonKey: slot(runAt) });
}

/** Drops the expired partitions; returns the days dropped (Unix ms of their first instant). */
export async function maintainPartitions(platform: Platform): Promise<number[]> {
  const store = qosStoreOf(platform.db);
  const now = platform.clock.now();
  await store.ensurePartitions(platform.db, [now, now + DAY_MS]);
  const cutoff = now - platform.config.rtcRetentionDays * DAY_MS;
  const dropped: number[] = [];
  for (const day of await store.listPartitions(platform.db)) {
    if (day + DAY_MS <= cutoff) {
      await store.dropPartition(platform.db, day);
      dropped.push(day);
    }
  }
  if (dropped.length > 0) platform.log.info({ dropped: dropped.map((d) => new Date(d).toISOString().slice(0, 10)) }, "rtc: dropped QoS partitions");
  return dropped;
}

/** Built per platform (it needs the database and clock), registered by the product's start-up hook. */
export function maintenanceJob(platform: Platform): JobType<Record<string, never>> {
  return {
    name: MAINTAIN_JOB,
    async run() {
      await maintainPartitions(platform);
      await scheduleMaintenance(platform, platform.clock.now() + EVERY_MS);
    },
  };
}
