// The statistics job: after a room ends (and again after late events), reads the room's
// stream and roster, computes the statistics (statistics.ts) and replaces the stored
// result in one transaction. Idempotent: running it twice stores the same thing. If events
// arrived while it computed, it computes again, so the stored version always catches up.
import type { Db, Queryable } from "../../../storage/db.ts";
import { configuredRoles } from "../rooms/room-config.ts";
import { roomById, RoomStatus, type Room } from "../rooms/rooms-store.ts";
import { computeRoomStatistics, type RoomStatistics, type Roster } from "./statistics.ts";
import { readForStatistics } from "../events/stream-store.ts";
import { groupMemberships } from "../groups/groups-store.ts";
import { userNames } from "../users/users-store.ts";
import { supervisorsAmong } from "../supervisors/supervisors-store.ts";
import { replaceStatistics } from "./stats-store.ts";

export async function readRoster(q: Queryable, room: Room, userIds: Iterable<string>): Promise<Roster> {
  const config = room.config;
  const memberships = config.GroupId ? await groupMemberships(q, room.appId, config.GroupId) : new Map<string, string[]>();
  const groupMembers = new Set(memberships.keys());
  const roles = configuredRoles(config);
  const expected = [...new Set([...groupMembers, ...roles.keys()])];
  const ids = [...new Set([...userIds, ...expected])];
  // The app's supervisors who came are Role 3 (巡课) unless they reported another role; the
  // room's own teacher and assistants keep theirs. Supervisors are not expected attendees.
  for (const id of await supervisorsAmong(q, room.appId, ids)) if (!roles.has(id)) roles.set(id, 3);
  const names = ids.length > 0 ? await userNames(q, room.appId, ids) : new Map<string, string>();
  return { expected, configuredRoles: roles, names, groupId: config.GroupId, groupMembers, subGroups: memberships };
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
  await db.transaction((tx) => replaceStatistics(tx, room, stats, version, now));
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
