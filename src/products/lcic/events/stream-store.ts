// The room event stream in SQL (lcic_room_events): appended by ingest and by the room's own
// transitions, read by the statistics job, GetRoomEvent and the live views.
import type { Queryable } from "../../../storage/db.ts";
import { COUNTED_KINDS, Kind, ORDERED_KINDS, type StreamEvent, type Tally } from "./stream.ts";

/**
 * Appends events of one room; an id already there is skipped (retries, replays). The
 * counted kinds also add to the member counters, in the same statement.
 */
export async function appendEvents(q: Queryable, appId: string, roomId: number, events: readonly StreamEvent[]): Promise<void> {
  if (events.length === 0) return;
  await q.query(
    `with added as (
       insert into lcic_room_events (app_id, room_id, event_id, kind, ctime, user_id, role, device, reason, ip, location)
       select $1, $2, * from unnest($3::text[], $4::smallint[], $5::bigint[], $6::text[], $7::smallint[], $8::smallint[],
         $9::smallint[], $10::text[], $11::text[])
       on conflict do nothing
       returning user_id, kind)
     insert into lcic_member_counters (app_id, room_id, user_id, kind, n)
     select $1, $2, user_id, kind, count(*) from added where kind = any($12::smallint[]) group by user_id, kind
     on conflict (app_id, room_id, user_id, kind) do update set n = lcic_member_counters.n + excluded.n`,
    [
      appId,
      roomId,
      events.map((e) => e.id),
      events.map((e) => e.kind),
      events.map((e) => e.ctime),
      events.map((e) => e.userId),
      events.map((e) => e.role ?? null),
      events.map((e) => e.device ?? null),
      events.map((e) => e.reason ?? null),
      events.map((e) => e.ip ?? null),
      events.map((e) => e.location ?? null),
      COUNTED_KINDS,
    ],
  );
}

interface EventRow {
  event_id: string;
  kind: number;
  ctime: number;
  user_id: string;
  role: number | null;
  device: number | null;
  reason: number | null;
  ip: string | null;
  location: string | null;
}

export const toStreamEvent = (r: EventRow): StreamEvent => ({
  id: r.event_id,
  kind: r.kind as Kind,
  ctime: Number(r.ctime),
  userId: r.user_id,
  role: r.role,
  device: r.device,
  reason: r.reason,
  ip: r.ip,
  location: r.location,
});

type Packed = [string, number, number, string, number | null, number | null, number | null, string | null, string | null];

/**
 * What the statistics need of a room's stream: the events whose order matters, in their
 * order (the index gives it; sorting in JS costs more), and the counted ones tallied per (user, kind)
 * up to the horizon (the room's end, else `asOf`): the member counters, less the few
 * counted events after the horizon. Read as one JSON document each: an embedded database
 * pays per row returned, and a million-event room must not cost a million rows.
 */
export async function readForStatistics(
  q: Queryable,
  appId: string,
  roomId: number,
  asOf: number,
): Promise<{ events: StreamEvent[]; tallies: Tally[] }> {
  const ordered = await q.query<{ j: string | null }>(
    `select json_agg(json_build_array(event_id, kind, ctime, user_id, role, device, reason, ip, location)
       order by ctime, kind, event_id collate "C")::text as j
     from lcic_room_events where app_id = $1 and room_id = $2 and kind = any($3::smallint[])`,
    [appId, roomId, ORDERED_KINDS],
  );
  const events = (JSON.parse(ordered.rows[0]?.j ?? "[]") as Packed[]).map(
    ([id, kind, ctime, userId, role, device, reason, ip, location]): StreamEvent => ({
      id,
      kind: kind as Kind,
      ctime: Number(ctime),
      userId,
      role,
      device,
      reason,
      ip,
      location,
    }),
  );
  const end = events.find((e) => e.kind === Kind.RoomEnded)?.ctime ?? asOf;
  const counted = await q.query<{ j: string | null }>(
    `select json_agg(json_build_array(c.user_id, c.kind, c.n - coalesce(late.n, 0)))::text as j
     from lcic_member_counters c
     left join (
       select user_id, kind, count(*) as n from lcic_room_events
       where app_id = $1 and room_id = $2 and ctime > $3 and kind = any($4::smallint[])
       group by user_id, kind) late using (user_id, kind)
     where c.app_id = $1 and c.room_id = $2 and c.n > coalesce(late.n, 0)`,
    [appId, roomId, end, COUNTED_KINDS],
  );
  const tallies = (JSON.parse(counted.rows[0]?.j ?? "[]") as [string, number, number][]).map(
    ([userId, kind, count]): Tally => ({ userId, kind: kind as Kind, count }),
  );
  return { events, tallies };
}

const PRESENCE = [Kind.MemberJoined, Kind.MemberQuit, Kind.HeartbeatLost, Kind.MemberKicked];

/**
 * Members online now: those whose last presence event (in the canonical order) is a join.
 * The same rule as the statistics' state machine, read in SQL so that ending a room with
 * many events does not load its whole stream.
 */
export async function onlineMembers(q: Queryable, appId: string, roomId: number): Promise<{ userId: string; role: number | null }[]> {
  const rows = await q.query<{ user_id: string; kind: number; role: number | null }>(
    `select user_id, kind, role from (
       select distinct on (user_id) user_id, kind, role from lcic_room_events
       where app_id = $1 and room_id = $2 and kind = any($3::smallint[]) and user_id <> ''
       order by user_id, ctime desc, kind desc, event_id collate "C" desc) last
     where kind = $4 order by user_id collate "C"`,
    [appId, roomId, PRESENCE, Kind.MemberJoined],
  );
  return rows.rows.map((r) => ({ userId: r.user_id, role: r.role }));
}

/**
 * The room's events of the wire kinds, in GetRoomEvent's order (time, kind, id), with the
 * count of all of them: of `kinds` only, paged when `page` is given.
 */
export async function wireEventsPage(
  q: Queryable,
  appId: string,
  roomId: number,
  wireKinds: readonly number[],
  kinds: readonly number[],
  page: { limit: number; offset: number } | null,
): Promise<{ total: number; events: StreamEvent[] }> {
  const where = "app_id = $1 and room_id = $2 and kind = any($3::smallint[])";
  const total = await q.query<{ n: number }>(`select count(*)::int as n from lcic_room_events where ${where}`, [appId, roomId, wireKinds]);
  const paging = page ? `limit ${page.limit} offset ${page.offset}` : "";
  const rows = await q.query<EventRow>(
    `select event_id, kind, ctime, user_id, role, device, reason, ip, location from lcic_room_events
     where ${where} order by ctime, kind, event_id collate "C" ${paging}`,
    [appId, roomId, kinds],
  );
  return { total: total.rows[0]!.n, events: rows.rows.map(toStreamEvent) };
}

/** The room's events of these kinds, in the stream's order (the console's attendance timeline). */
export async function eventsOfKinds(q: Queryable, appId: string, roomId: number, kinds: readonly Kind[]): Promise<StreamEvent[]> {
  const rows = await q.query<EventRow>(
    `select event_id, kind, ctime, user_id, role, device, reason, ip, location from lcic_room_events
     where app_id = $1 and room_id = $2 and kind = any($3::smallint[]) order by ctime, kind, event_id collate "C"`,
    [appId, roomId, kinds],
  );
  return rows.rows.map(toStreamEvent);
}
