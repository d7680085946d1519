// Writing QoS samples: the `rtc.qos` event type of the generic ingest API, and the shared
// write path of the NDJSON stream endpoint (qos-stream.ts). Samples older than the
// retention window are counted as expired and not stored (their partition is, or is about
// to be, dropped); retries are deduplicated by the sample's natural key.
import { defineEventType } from "../../protocols/ingest/event-type.ts";
import { invalidBatch, type BadEvent } from "../../protocols/ingest/batch.ts";
import type { Platform } from "../../platform.ts";
import type { Queryable } from "../../storage/db.ts";
import { QosBatch, QosSampleData } from "./qos-sample.ts";
import { DAY_MS, PartitionMissing, qosStoreOf } from "./qos-store.ts";

export const retentionCutoff = (platform: Platform): number => platform.clock.now() - platform.config.rtcRetentionDays * DAY_MS;

export interface QosWriteResult {
  accepted: number;
  expired: number;
}

async function write(tx: Queryable, platform: Platform, appId: string, stime: number, batch: QosBatch): Promise<QosWriteResult> {
  const expired = batch.dropBefore(retentionCutoff(platform));
  const accepted = batch.size === 0 ? 0 : await qosStoreOf(platform.db).insert(tx, appId, stime, batch);
  return { accepted, expired };
}

/** Stores a batch in one transaction (all or nothing). */
export async function writeQosBatch(platform: Platform, appId: string, stime: number, batch: QosBatch): Promise<QosWriteResult> {
  const store = qosStoreOf(platform.db);
  const expired = batch.dropBefore(retentionCutoff(platform));
  if (batch.size === 0) return { accepted: 0, expired };
  // Partitions first, outside the transaction: on PostgreSQL a failed CREATE (another
  // instance won the race) would abort the transaction it ran in.
  await store.ensurePartitions(platform.db, batch.ctime);
  for (let attempt = 0; ; attempt++) {
    try {
      const accepted = await platform.db.transaction((tx) => store.insert(tx, appId, stime, batch));
      return { accepted, expired };
    } catch (err) {
      if (!(err instanceof PartitionMissing) || attempt > 0) throw err;
      await store.ensurePartitions(platform.db, batch.ctime);
    }
  }
}

/**
 * `rtc.qos` through POST /ingest/v1/events: convenient for low volumes (one event per
 * sample, the envelope's `ctime`). The event id is not the identity here: a sample is the
 * same sample when its (room, uid, peer, stream, direction, ctime) is.
 */
export const qosEvent = defineEventType({
  type: "rtc.qos",
  product: "rtc",
  data: QosSampleData,
  async store(tx, app, events, platform) {
    const batch = new QosBatch();
    const stime = events[0]?.stime ?? platform.clock.now();
    // The generic path validated the schema already; the cross-field rules are ours. The
    // index is the event's position among the batch's rtc.qos events; the batch rolls back.
    const bad: BadEvent[] = [];
    events.forEach((e, index) => {
      const reason = batch.add(e.data, e.ctime, e.stime);
      if (reason) bad.push({ index, reason });
    });
    if (bad.length > 0) throw invalidBatch(bad);
    return { accepted: (await write(tx, platform, app.appId, stime, batch)).accepted };
  },
});
