// Writing QoS samples: the `rtc.qos` event type of the generic ingest API, and the shared
// write path of the NDJSON stream endpoint (qos-stream.ts). Samples older than the
// retention window are counted as expired and not stored (their partition is, or is about
// to be, dropped); retries are deduplicated by the sample's natural key.
import { defineEventType } from "../../ingest/event-type.ts";
import { nativeErrors, type BadEvent } from "../../errors/native.ts";
import type { ProductContext } from "../../product-context.ts";
import type { RtcSettings } from "./settings.ts";
import type { Queryable } from "../../storage/db.ts";
import { QosBatch, QosSampleData } from "./qos-sample.ts";
import { DAY_MS, PartitionMissing, qosStoreOf } from "./qos-store.ts";

export const retentionCutoff = (ctx: ProductContext<RtcSettings>): number => ctx.clock.now() - ctx.settings.retentionDays * DAY_MS;

export interface QosWriteResult {
  accepted: number;
  expired: number;
}

async function write(
  tx: Queryable,
  ctx: ProductContext<RtcSettings>,
  appId: string,
  stime: number,
  batch: QosBatch,
): Promise<QosWriteResult> {
  const expired = batch.dropBefore(retentionCutoff(ctx));
  const accepted = batch.size === 0 ? 0 : await qosStoreOf(ctx.db).insert(tx, appId, stime, batch);
  return { accepted, expired };
}

/** Stores a batch in one transaction (all or nothing). */
export async function writeQosBatch(
  ctx: ProductContext<RtcSettings>,
  appId: string,
  stime: number,
  batch: QosBatch,
): Promise<QosWriteResult> {
  const store = qosStoreOf(ctx.db);
  const expired = batch.dropBefore(retentionCutoff(ctx));
  if (batch.size === 0) return { accepted: 0, expired };
  // Partitions first, outside the transaction: on PostgreSQL a failed CREATE (another
  // instance won the race) would abort the transaction it ran in.
  await store.ensurePartitions(ctx.db, batch.ctime);
  for (let attempt = 0; ; attempt++) {
    try {
      const accepted = await ctx.db.transaction((tx) => store.insert(tx, appId, stime, batch));
      return { accepted, expired };
    } catch (err) {
      if (!(err instanceof PartitionMissing) || attempt > 0) throw err;
      await store.ensurePartitions(ctx.db, batch.ctime);
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
  async store(tx, app, events, ctx) {
    const batch = new QosBatch();
    const stime = events[0]?.stime ?? ctx.clock.now();
    // The generic path validated the schema already; the cross-field rules are ours. The
    // index is the event's position among the batch's rtc.qos events; the batch rolls back.
    const bad: BadEvent[] = [];
    events.forEach((e, index) => {
      const reason = batch.add(e.data, e.ctime, e.stime);
      if (reason) bad.push({ index, reason });
    });
    if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
    return { accepted: (await write(tx, ctx, app.appId, stime, batch)).accepted };
  },
});
