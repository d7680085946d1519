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
export async function ownRoom(ctx: ActionContext, roomId: number, opts: { appId?: string; q?: Queryable; lock?: boolean } = {}): Promise<Room> {
  const room = await roomById(opts.q ?? ctx.db, roomId, opts.lock);
  if (!room || room.accountId !== ctx.account.accountId) throw lcicErrors.roomNotFound();
  if (opts.appId !== undefined && room.appId !== opts.appId) throw lcicErrors.roomNotFound();
  return room;
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
  for (const table of ["lcic_room_events", "lcic_member_counters", "lcic_messages", "lcic_kick_blocks", "lcic_room_stats", "lcic_member_stats", "lcic_rooms"]) {
    await q.query(`delete from ${table} where app_id = $1 and room_id = $2`, [appId, roomId]);
  }
}
