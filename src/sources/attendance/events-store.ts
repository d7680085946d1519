// SQL of the raw source events (source_events) and of the per-room lock row (source_rooms).
import type { Queryable } from "../../storage/db.ts";
import type { RawEvent } from "./presence.ts";
import type { SourceEvent } from "./source-event.ts";

/** Stores the events not stored before; returns the (room) of each new one. */
export async function insertSourceEvents(tx: Queryable, appId: string, stime: number, events: readonly SourceEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const res = await tx.query<{ room: string }>(
    `insert into source_events (app_id, source, event_id, room, identity, connection, kind, at, stime, extras)
     select $1, s, e, r, i, c, k, a, $2, x
     from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::jsonb[])
       as t(s, e, r, i, c, k, a, x)
     on conflict (app_id, source, event_id) do nothing returning room`,
    [
      appId,
      stime,
      events.map((e) => e.source),
      events.map((e) => e.eventId),
      events.map((e) => e.room),
      events.map((e) => e.identity),
      events.map((e) => e.connection),
      events.map((e) => e.kind),
      events.map((e) => e.at),
      events.map((e) => (e.extras === undefined ? null : JSON.stringify(e.extras))),
    ],
  );
  return res.rows.map((r) => r.room);
}

/**
 * Locks the rooms' rows (creating them), in one order so that two batches never deadlock;
 * returns the cloud room each was last fed to.
 */
export async function lockSourceRooms(
  tx: Queryable,
  appId: string,
  source: string,
  rooms: readonly string[],
  now: number,
): Promise<Map<string, string | null>> {
  const sorted = [...new Set(rooms)].sort();
  const res = await tx.query<{ room: string; fed_target: string | null }>(
    `insert into source_rooms (app_id, source, room, recomputed_at)
     select $1, $2, r, $4 from unnest($3::text[]) as t(r) order by r collate "C"
     on conflict (app_id, source, room) do update set recomputed_at = excluded.recomputed_at
     returning room, fed_target`,
    [appId, source, sorted, now],
  );
  return new Map(res.rows.map((r) => [r.room, r.fed_target]));
}

export async function setFedTarget(tx: Queryable, appId: string, source: string, room: string, target: string): Promise<void> {
  await tx.query("update source_rooms set fed_target = $4 where app_id = $1 and source = $2 and room = $3", [appId, source, room, target]);
}

/** Every event of one SFU room, as one JSON value (one row: cheap on PGlite). */
export async function roomEvents(q: Queryable, appId: string, source: string, room: string): Promise<RawEvent[]> {
  const res = await q.query<{ j: string | null }>(
    `select json_agg(json_build_array(event_id, identity, connection, kind, at, extras))::text as j
     from source_events where app_id = $1 and source = $2 and room = $3`,
    [appId, source, room],
  );
  type Row = [string, string, string, RawEvent["kind"], number, RawEvent["extras"]];
  return (JSON.parse(res.rows[0]?.j ?? "[]") as Row[]).map(([eventId, identity, connection, kind, at, extras]) => ({
    eventId,
    identity,
    connection,
    kind,
    at: Number(at),
    extras,
  }));
}

/** The SFU rooms an identity has events in (what a new user mapping must recompute). */
export async function roomsOfIdentity(q: Queryable, appId: string, source: string, identity: string): Promise<string[]> {
  const res = await q.query<{ room: string }>(
    "select distinct room from source_events where app_id = $1 and source = $2 and identity = $3 order by room",
    [appId, source, identity],
  );
  return res.rows.map((r) => r.room);
}
