// Chat mutes of a room (ForbidSendMsg): who may not chat, until when, in Unix seconds.
import type { Queryable } from "../../../storage/db.ts";

/** MuteTime 4294967295 mutes for good; IM reports such a mute as muted until that same number. */
export const FOREVER = 4_294_967_295;

export async function muteMembers(q: Queryable, appId: string, roomId: number, userIds: readonly string[], untilS: number): Promise<void> {
  await q.query(
    `insert into lcic_mutes (app_id, room_id, user_id, muted_until) select $1, $2, u, $4::bigint from unnest($3::text[]) as u
     on conflict (app_id, room_id, user_id) do update set muted_until = excluded.muted_until`,
    [appId, roomId, userIds, untilS],
  );
}

/** Lifts the mutes of those users; returns those who were muted at `nowS`. */
export async function unmuteMembers(
  q: Queryable,
  appId: string,
  roomId: number,
  userIds: readonly string[],
  nowS: number,
): Promise<string[]> {
  const res = await q.query<{ user_id: string; muted_until: number }>(
    "delete from lcic_mutes where app_id = $1 and room_id = $2 and user_id = any($3::text[]) returning user_id, muted_until",
    [appId, roomId, userIds],
  );
  return res.rows.filter((r) => Number(r.muted_until) > nowS).map((r) => r.user_id);
}

/** The room's members muted at `nowS`, by user id. */
export async function mutedMembers(
  q: Queryable,
  appId: string,
  roomId: number,
  nowS: number,
): Promise<{ userId: string; until: number }[]> {
  const rows = await q.query<{ user_id: string; muted_until: number }>(
    'select user_id, muted_until from lcic_mutes where app_id = $1 and room_id = $2 and muted_until > $3 order by user_id collate "C"',
    [appId, roomId, nowS],
  );
  return rows.rows.map((r) => ({ userId: r.user_id, until: Number(r.muted_until) }));
}

export async function isMuted(q: Queryable, appId: string, roomId: number, userId: string, nowS: number): Promise<boolean> {
  const rows = await q.query("select 1 from lcic_mutes where app_id = $1 and room_id = $2 and user_id = $3 and muted_until > $4", [
    appId,
    roomId,
    userId,
    nowS,
  ]);
  return rows.rows.length > 0;
}
