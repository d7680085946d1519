// Recording one Janus POST: in one transaction, the Janus working state is read and written
// back and the QoS samples are stored in the rtc app (through the rtc product's own store);
// then the presence events go to the attendance model, which deduplicates them by event id.
import { nativeErrors, type BadEvent } from "../../errors/native.ts";
import type { ProductContext } from "../../product-context.ts";
import type { Db } from "../../storage/db.ts";
import type { App } from "../../tenancy/accounts.ts";
import { QosBatch } from "../../products/rtc/qos-sample.ts";
import { qosStoreOf } from "../../products/rtc/qos-store.ts";
import { retentionCutoff } from "../../products/rtc/qos-ingest.ts";
import type { RtcSettings } from "../../products/rtc/settings.ts";
import { sourceEventProblem, type SourceEvent } from "../attendance/index.ts";
import { mappedRoom, mappedUsers } from "../mapping/map-store.ts";
import type { JanusFact } from "./janus-event.ts";
import { loadJanusState, saveJanusState } from "./state-store.ts";
import { SOURCE, translate, type JanusSample } from "./translate.ts";

export interface JanusDeps {
  db: Db;
  clock: { now(): number };
  attendance: { record(app: App, events: readonly SourceEvent[]): Promise<{ accepted: number; duplicates: number }> };
  /** The rtc product's context (its retention setting); absent when rtc is not enabled. */
  rtc?: ProductContext<RtcSettings>;
}

export interface JanusResult {
  /** Presence events new to the attendance model. */
  accepted: number;
  /** Presence events it had already (a retransmitted POST). */
  duplicates: number;
  /** QoS samples stored now. */
  samples: number;
}

/** Huawei's ids are at most 64 characters (qos-sample.ts); longer Janus names cannot be queried there. */
const HUAWEI_ID_MAX = 64;

export async function recordJanus(d: JanusDeps, app: App, qosApp: App | null, facts: readonly JanusFact[]): Promise<JanusResult> {
  const stime = d.clock.now();
  const rtc = qosApp ? (d.rtc ?? null) : null;
  const store = qosStoreOf(d.db);
  // Partitions first, outside the transaction, as the rtc ingest does (a failed CREATE on
  // PostgreSQL would abort the transaction it ran in).
  const statsTimes = facts.flatMap((f) => (f.kind === "stats" ? [f.at] : []));
  if (rtc && statsTimes.length > 0) await store.ensurePartitions(d.db, statsTimes);

  const { events, samples } = await d.db.transaction(async (tx) => {
    const state = await loadJanusState(tx, app.appId, facts);
    const t = translate(facts, state);
    const bad: BadEvent[] = [];
    t.events.forEach((e, index) => {
      const why = sourceEventProblem(e);
      if (why) bad.push({ index, reason: `presence event ${e.kind} of room ${e.room.slice(0, 64)}: ${why}` });
    });
    if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
    await saveJanusState(tx, app.appId, state);
    let stored = 0;
    if (rtc && qosApp && t.samples.length > 0) {
      const batch = await qosBatch(tx, app.appId, t.samples, stime);
      batch.dropBefore(retentionCutoff(rtc));
      if (batch.size > 0) stored = await store.insert(tx, qosApp.appId, stime, batch);
    }
    return { events: t.events, samples: stored };
  });
  const att = events.length > 0 ? await d.attendance.record(app, events) : { accepted: 0, duplicates: 0 };
  return { accepted: att.accepted, duplicates: att.duplicates, samples };
}

/** The samples with the cloud's room and user ids (the mapping's defaults: Janus's own names). */
async function qosBatch(tx: Parameters<typeof mappedRoom>[0], appId: string, samples: JanusSample[], stime: number): Promise<QosBatch> {
  const rooms = new Map<string, string>();
  for (const r of new Set(samples.map((s) => s.room))) rooms.set(r, await mappedRoom(tx, appId, SOURCE, r));
  const identities = [...new Set(samples.flatMap((s) => (s.peer === null ? [s.uid] : [s.uid, s.peer])))];
  const users = await mappedUsers(tx, appId, SOURCE, identities);
  const batch = new QosBatch();
  const bad: BadEvent[] = [];
  samples.forEach((s, index) => {
    const data = {
      room_id: rooms.get(s.room)!,
      uid: users.get(s.uid) ?? s.uid,
      peer_id: s.peer === null ? "0" : (users.get(s.peer) ?? s.peer),
      // One series per user, not per Janus feed: a participant who rejoins gets a new feed id,
      // and Huawei's answer names series by user and peer only (two of one user would look alike).
      stream_id: "",
      metrics: s.metrics,
    };
    if ([data.room_id, data.uid, data.peer_id].some((v) => v.length > HUAWEI_ID_MAX)) return;
    const why = batch.add(data, s.ctime, stime);
    if (why) bad.push({ index, reason: `QoS sample of ${s.uid.slice(0, 64)} at ${s.ctime}: ${why}` });
  });
  if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
  return batch;
}
