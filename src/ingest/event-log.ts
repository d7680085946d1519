// The generic event log (ingest_events): the event types that do not store themselves are
// kept here, deduplicated on (app, client event id).
import type { Queryable } from "../storage/db.ts";
import type { RetentionRule } from "../storage/retention.ts";
import type { IngestEvent } from "./event-type.ts";

/** Inserts the events; returns the ids that were new (a retried id is not stored again). */
export async function logEvents(
  tx: Queryable,
  appId: string,
  stime: number,
  events: readonly IngestEvent<unknown>[],
): Promise<Set<string>> {
  const res = await tx.query<{ event_id: string }>(
    `insert into ingest_events (app_id, event_id, type, ctime, stime, data)
     select $1, * from unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::jsonb[])
     on conflict (app_id, event_id) do nothing returning event_id`,
    [
      appId,
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.ctime),
      events.map(() => stime),
      events.map((e) => JSON.stringify(e.data)),
    ],
  );
  return new Set(res.rows.map((r) => r.event_id));
}

/**
 * Retention of the log, by the time an event was stored (stime), not its client time: the
 * log is also what makes a retried event id a duplicate, and a client retries from when it
 * sent, whatever its event's own time. So the window is also the dedupe window: an id sent
 * again more than the window after it was first stored is taken as new.
 */
export const eventLogRetention: RetentionRule = {
  name: "ingest_events",
  window: "events",
  async deleteBatch(q, cutoff, limit) {
    const res = await q.query(
      `delete from ingest_events where ctid = any(array(
         select ctid from ingest_events where stime < $1 limit $2)) and stime < $1`,
      [cutoff, limit],
    );
    return res.rowCount;
  },
};
