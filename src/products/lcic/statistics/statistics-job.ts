// The statistics job: after a room ends (and again after late events), reads the room's
// stream and roster, computes the statistics (statistics.ts) and replaces the stored
// result in one transaction. Idempotent: running it twice stores the same thing. If events
// arrived while it computed, it computes again, so the stored version always catches up.
import type { Db, Queryable } from "../../../storage/db.ts";
import { configuredRoles } from "../rooms/room-config.ts";
import { roomById, RoomStatus, type Room } from "../rooms/rooms-store.ts";
import { computeRoomStatistics, type RoomStatistics, type Roster } from "./statistics.ts";
import { readForStatistics } from "../events/stream-store.ts";

export async function readRoster(q: Queryable, room: Room, userIds: Iterable<string>): Promise<Roster> {
  const config = room.config;
  const groupMembers = new Set<string>();
  if (config.GroupId) {
    const rows = await q.query<{ user_id: string }>("select user_id from lcic_group_members where app_id = $1 and group_id = $2", [
      room.appId,
      config.GroupId,
    ]);
    for (const r of rows.rows) groupMembers.add(r.user_id);
  }
  const roles = configuredRoles(config);
  const expected = [...new Set([...groupMembers, ...roles.keys()])];
  const ids = [...new Set([...userIds, ...expected])];
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await q.query<{ user_id: string; name: string }>("select user_id, name from lcic_users where app_id = $1 and user_id = any($2::text[])", [
      room.appId,
      ids,
    ]);
    for (const r of rows.rows) names.set(r.user_id, r.name);
  }
  return { expected, configuredRoles: roles, names, groupId: config.GroupId, groupMembers };
}

/** Computes the statistics of a room from what is stored now (no writes). */
export async function computeStored(q: Queryable, room: Room, asOf?: number): Promise<RoomStatistics> {
  const { events, tallies } = await readForStatistics(q, room.appId, room.roomId, asOf ?? Number.MAX_SAFE_INTEGER);
  const users = new Set<string>();
  for (const e of events) if (e.userId) users.add(e.userId);
  for (const t of tallies) if (t.userId) users.add(t.userId);
  return computeRoomStatistics(events, await readRoster(q, room, users), asOf, tallies);
}

export async function storeStatistics(db: Db, room: Room, stats: RoomStatistics, version: number, now: number): Promise<void> {
  const { records, ...summary } = stats;
  await db.transaction(async (tx) => {
    // One writer per room at a time (two instances, or a job and a manual run): the room row
    // is the lock; a result older than the stored one is dropped.
    await tx.query("select 1 from lcic_rooms where app_id = $1 and room_id = $2 for update", [room.appId, room.roomId]);
    const stored = await tx.query<{ stats_version: number }>("select stats_version from lcic_room_stats where app_id = $1 and room_id = $2", [
      room.appId,
      room.roomId,
    ]);
    if (stored.rows[0] && Number(stored.rows[0].stats_version) > version) return;
    await tx.query("delete from lcic_member_stats where app_id = $1 and room_id = $2", [room.appId, room.roomId]);
    const chunk = 5000;
    for (let i = 0; i < records.length; i += chunk) {
      const part = records.slice(i, i + chunk);
      await tx.query(
        `insert into lcic_member_stats (app_id, room_id, ord, record)
         select $1, $2, * from unnest($3::int[], $4::json[])`,
        [room.appId, room.roomId, part.map((_, j) => i + j), part.map((r) => JSON.stringify(r))],
      );
    }
    await tx.query(
      `insert into lcic_room_stats (app_id, room_id, stats_version, summary, computed_at) values ($1, $2, $3, $4, $5)
       on conflict (app_id, room_id) do update set stats_version = excluded.stats_version, summary = excluded.summary,
         computed_at = excluded.computed_at`,
      [room.appId, room.roomId, version, JSON.stringify(summary), now],
    );
  });
}

/** The job's body; returns the number of passes it needed (1 unless events arrived meanwhile). */
export async function refreshStatistics(db: Db, roomId: number, now: () => number): Promise<number> {
  for (let pass = 1; pass <= 10; pass++) {
    const room = await roomById(db, roomId);
    if (!room || room.status !== RoomStatus.Ended) return pass;
    const stats = await computeStored(db, room);
    await storeStatistics(db, room, stats, room.streamVersion, now());
    const after = await roomById(db, roomId);
    if (!after || after.streamVersion === room.streamVersion) return pass;
  }
  throw new Error(`room ${roomId}: events kept arriving while its statistics were computed`);
}
