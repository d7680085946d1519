// Rooms in SQL. A RoomId names a room across apps (several actions carry no SdkAppId), so
// room ids are unique on their own; a room of another account is ResourceNotFound.Room.
import type { ActionContext } from "../../../protocols/tencent/action.ts";
import type { Queryable } from "../../../storage/db.ts";
import { lcicErrors } from "../errors.ts";
import type { RoomConfig } from "./room-config.ts";

export const RoomStatus = { NotStarted: 0, Started: 1, Ended: 2, Expired: 3 } as const;

export interface Room {
  appId: string;
  roomId: number;
  accountId: string;
  config: RoomConfig;
  status: number;
  realStart: number | null;
  realEnd: number | null;
  streamVersion: number;
}

interface RoomRow {
  app_id: string;
  room_id: number;
  account_id: string;
  config: RoomConfig;
  status: number;
  real_start: number | null;
  real_end: number | null;
  stream_version: number;
}

export const toRoom = (r: RoomRow): Room => ({
  appId: r.app_id,
  roomId: Number(r.room_id),
  accountId: r.account_id,
  config: r.config,
  status: r.status,
  realStart: r.real_start,
  realEnd: r.real_end,
  streamVersion: r.stream_version,
});

const COLUMNS = "app_id, room_id, account_id, config, status, real_start, real_end, stream_version";

export async function roomById(q: Queryable, roomId: number, lock = false): Promise<Room | null> {
  const rows = await q.query<RoomRow>(`select ${COLUMNS} from lcic_rooms where room_id = $1${lock ? " for update" : ""}`, [roomId]);
  return rows.rows[0] ? toRoom(rows.rows[0]) : null;
}

/** The caller's room, or ResourceNotFound.Room (missing, or another account's, or another app's when appId is given). */
export async function ownRoom(
  ctx: ActionContext,
  roomId: number,
  opts: { appId?: string; q?: Queryable; lock?: boolean } = {},
): Promise<Room> {
  const room = await roomById(opts.q ?? ctx.db, roomId, opts.lock);
  if (!room || room.accountId !== ctx.account.accountId) throw lcicErrors.roomNotFound();
  if (opts.appId !== undefined && room.appId !== opts.appId) throw lcicErrors.roomNotFound();
  return room;
}

/**
 * The caller's room for DescribeRoom: its configuration as the stored JSON text (a `json`
 * column keeps JSON.stringify's text as given), for the answer to splice, not parse; or
 * ResourceNotFound.Room, as ownRoom.
 */
export async function ownRoomConfigText(
  ctx: ActionContext,
  roomId: number,
): Promise<{ appId: string; status: number; configText: string }> {
  const rows = await ctx.db.query<{ app_id: string; account_id: string; status: number; config: string }>(
    "select app_id, account_id, status, config::text as config from lcic_rooms where room_id = $1",
    [roomId],
  );
  const r = rows.rows[0];
  if (!r || r.account_id !== ctx.account.accountId) throw lcicErrors.roomNotFound();
  return { appId: r.app_id, status: r.status, configText: r.config };
}

export async function insertRoom(q: Queryable, appId: string, accountId: string, config: RoomConfig, now: number): Promise<number> {
  const rows = await q.query<{ room_id: number }>(
    `insert into lcic_rooms (app_id, room_id, account_id, config, start_time, end_time, created_at)
     values ($1, nextval('lcic_room_id'), $2, $3, $4, $5, $6) returning room_id`,
    [appId, accountId, JSON.stringify(config), config.StartTime * 1000, config.EndTime * 1000, now],
  );
  return Number(rows.rows[0]!.room_id);
}

export async function updateRoomConfig(q: Queryable, room: Room, config: RoomConfig): Promise<void> {
  await q.query("update lcic_rooms set config = $3, start_time = $4, end_time = $5 where app_id = $1 and room_id = $2", [
    room.appId,
    room.roomId,
    JSON.stringify(config),
    config.StartTime * 1000,
    config.EndTime * 1000,
  ]);
}

/** Deletes a room and everything recorded about it. */
export async function deleteRoomData(q: Queryable, appId: string, roomId: number): Promise<void> {
  for (const table of [
    "lcic_room_events",
    "lcic_member_counters",
    "lcic_messages",
    "lcic_kick_blocks",
    "lcic_mutes",
    "lcic_notifications",
    "lcic_room_stats",
    "lcic_member_stats",
    "lcic_rooms",
  ]) {
    await q.query(`delete from ${table} where app_id = $1 and room_id = $2`, [appId, roomId]);
  }
}

export interface RoomListRow {
  room_id: number;
  config: RoomConfig;
  status: number;
  real_start: number | null;
  real_end: number | null;
}

/** A page of the app's rooms whose scheduled time overlaps [from, to] (ms), of the given statuses (null: any), by start then id. */
export async function roomsPage(
  q: Queryable,
  appId: string,
  window: { from: number; to: number; statuses: number[] | null },
  limit: number,
  offset: number,
): Promise<{ total: number; rows: RoomListRow[] }> {
  const where = "app_id = $1 and start_time <= $2 and end_time >= $3 and ($4::smallint[] is null or status = any($4::smallint[]))";
  const params = [appId, window.to, window.from, window.statuses];
  const total = await q.query<{ n: number }>(`select count(*)::int as n from lcic_rooms where ${where}`, params);
  const rows = await q.query<RoomListRow>(
    `select room_id, config, status, real_start, real_end from lcic_rooms where ${where}
     order by start_time, room_id limit $5 offset $6`,
    [...params, limit, offset],
  );
  return { total: total.rows[0]!.n, rows: rows.rows };
}

/** NotStarted → Started at `at`; false when the room was not NotStarted. */
export async function markStarted(tx: Queryable, room: Room, at: number): Promise<boolean> {
  const res = await tx.query("update lcic_rooms set status = $3, real_start = $4 where app_id = $1 and room_id = $2 and status = $5", [
    room.appId,
    room.roomId,
    RoomStatus.Started,
    at,
    RoomStatus.NotStarted,
  ]);
  return res.rowCount > 0;
}

/** NotStarted or Started → Ended at `at` (a new stream version); false when it was neither. */
export async function markEnded(tx: Queryable, room: Room, at: number): Promise<boolean> {
  const res = await tx.query(
    "update lcic_rooms set status = $3, real_end = $4, stream_version = stream_version + 1 where app_id = $1 and room_id = $2 and status in (0, 1)",
    [room.appId, room.roomId, RoomStatus.Ended, at],
  );
  return res.rowCount > 0;
}

/** NotStarted → Expired; false when the room was not NotStarted. */
export async function markExpired(tx: Queryable, room: Room): Promise<boolean> {
  const res = await tx.query("update lcic_rooms set status = $3 where app_id = $1 and room_id = $2 and status = $4", [
    room.appId,
    room.roomId,
    RoomStatus.Expired,
    RoomStatus.NotStarted,
  ]);
  return res.rowCount > 0;
}

/** Bars a user from the room until `until` (ms; null: for good). */
export async function blockUser(tx: Queryable, room: Room, userId: string, kickType: number, until: number | null): Promise<void> {
  await tx.query(
    `insert into lcic_kick_blocks (app_id, room_id, user_id, kick_type, until) values ($1, $2, $3, $4, $5)
     on conflict (app_id, room_id, user_id) do update set kick_type = excluded.kick_type, until = excluded.until`,
    [room.appId, room.roomId, userId, kickType, until],
  );
}

/** Lifts a user's bar; false when there was none. */
export async function unblockUser(tx: Queryable, room: Room, userId: string): Promise<boolean> {
  const res = await tx.query("delete from lcic_kick_blocks where app_id = $1 and room_id = $2 and user_id = $3", [
    room.appId,
    room.roomId,
    userId,
  ]);
  return res.rowCount > 0;
}

/** Locks the rooms (in id order, so two batches cannot deadlock) and returns those that exist. */
export async function lockRooms(tx: Queryable, appId: string, roomIds: number[]): Promise<Map<number, Room>> {
  const rows = await tx.query<RoomRow>(
    `select app_id, room_id, account_id, config, status, real_start, real_end, stream_version from lcic_rooms
     where app_id = $1 and room_id = any($2::bigint[]) order by room_id for update`,
    [appId, roomIds],
  );
  return new Map(rows.rows.map((r) => [Number(r.room_id), toRoom(r)]));
}

/** A new version of the room's stream: its statistics are due again. */
export async function bumpStreamVersion(tx: Queryable, appId: string, roomId: number): Promise<void> {
  await tx.query("update lcic_rooms set stream_version = stream_version + 1 where app_id = $1 and room_id = $2", [appId, roomId]);
}
