// SQL of GME room presence (gme_room_members), from the ingest events: who is in a room, who speaks.
import type { Queryable } from "../../storage/db.ts";

/** The latest known half-states of one member, from a batch of events (ctime, Unix ms). */
export interface MemberChange {
  roomId: string;
  userId: string;
  presence: { inRoom: boolean; at: number } | null;
  audio: { sending: boolean; at: number } | null;
}

/**
 * Applies member changes. Each half (presence, audio) only moves when the event is at least
 * as recent as the one that set it, so late or reordered events never roll state back.
 * "-1" marks a half the change does not touch. A leave that applies also lifts a server-side
 * mute: ModifyUserMicStatus's mute lasts until the user leaves the room.
 */
export async function applyMemberChanges(tx: Queryable, appId: string, changes: MemberChange[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `insert into gme_room_members as m (app_id, room_id, user_id, in_room, presence_at, sending_audio, audio_at)
     select $1, r, u, ir, pa, sa, aa from unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::boolean[], $7::bigint[])
       as x(r, u, ir, pa, sa, aa)
     on conflict (app_id, room_id, user_id) do update set
       mic_disabled = case when excluded.presence_at >= 0 and excluded.presence_at >= m.presence_at and not excluded.in_room
                           then false else m.mic_disabled end,
       in_room = case when excluded.presence_at >= 0 and excluded.presence_at >= m.presence_at then excluded.in_room else m.in_room end,
       presence_at = greatest(m.presence_at, excluded.presence_at),
       sending_audio = case when excluded.audio_at >= 0 and excluded.audio_at >= m.audio_at then excluded.sending_audio else m.sending_audio end,
       audio_at = greatest(m.audio_at, excluded.audio_at)`,
    [
      appId,
      changes.map((c) => c.roomId),
      changes.map((c) => c.userId),
      changes.map((c) => c.presence?.inRoom ?? false),
      changes.map((c) => c.presence?.at ?? -1),
      changes.map((c) => c.audio?.sending ?? false),
      changes.map((c) => c.audio?.at ?? -1),
    ],
  );
}

export async function roomOccupied(q: Queryable, appId: string, roomId: string): Promise<boolean> {
  const rows = await q.query("select 1 from gme_room_members where app_id = $1 and room_id = $2 and in_room limit 1", [appId, roomId]);
  return rows.rows.length > 0;
}

/** Users in the room sending audio that the server did not mute, in a stable order. */
export async function speakers(q: Queryable, appId: string, roomId: string): Promise<string[]> {
  const rows = await q.query<{ user_id: string }>(
    `select user_id from gme_room_members where app_id = $1 and room_id = $2 and in_room and sending_audio and not mic_disabled
     order by user_id`,
    [appId, roomId],
  );
  return rows.rows.map((r) => r.user_id);
}

/** Who is in each of these rooms (rooms nobody is in are absent), users in a stable order. */
export async function membersOfRooms(q: Queryable, appId: string, roomIds: string[]): Promise<Map<string, string[]>> {
  const rows = await q.query<{ room_id: string; users: string[] }>(
    `select room_id, array_agg(user_id order by user_id) as users from gme_room_members
     where app_id = $1 and room_id = any($2::text[]) and in_room group by room_id`,
    [appId, roomIds],
  );
  return new Map(rows.rows.map((r) => [r.room_id, r.users]));
}

/**
 * Sets the server-side mute of users in a room (ModifyUserMicStatus); all or nothing:
 * returns the users of the list not in the room, and changes nothing when there is one.
 */
export async function setMicDisabled(
  tx: Queryable,
  appId: string,
  roomId: string,
  changes: { userId: string; disabled: boolean }[],
): Promise<string[]> {
  const users = changes.map((c) => c.userId);
  const present = await tx.query<{ user_id: string }>(
    "select user_id from gme_room_members where app_id = $1 and room_id = $2 and user_id = any($3::text[]) and in_room for update",
    [appId, roomId, users],
  );
  const inRoom = new Set(present.rows.map((r) => r.user_id));
  const missing = users.filter((u) => !inRoom.has(u));
  if (missing.length > 0) return missing;
  await tx.query(
    `update gme_room_members m set mic_disabled = c.disabled from unnest($3::text[], $4::boolean[]) as c(user_id, disabled)
     where m.app_id = $1 and m.room_id = $2 and m.user_id = c.user_id`,
    [appId, roomId, users, changes.map((c) => c.disabled)],
  );
  return [];
}

/**
 * Takes users out of a room at `at` (DeleteRoomMember): all its members when `userIds` is
 * null. A member whose last known event is later than `at` leaves at that event's time, so
 * the kick always applies. Returns who left and when (users not in the room are skipped).
 */
export async function removeMembers(
  tx: Queryable,
  appId: string,
  roomId: string,
  userIds: string[] | null,
  at: number,
): Promise<{ userId: string; at: number }[]> {
  const rows = await tx.query<{ user_id: string; presence_at: number }>(
    `update gme_room_members set in_room = false, sending_audio = false, mic_disabled = false,
       presence_at = greatest(presence_at, $4), audio_at = greatest(audio_at, $4)
     where app_id = $1 and room_id = $2 and in_room and ($3::text[] is null or user_id = any($3::text[]))
     returning user_id, presence_at`,
    [appId, roomId, userIds, at],
  );
  return rows.rows.map((r) => ({ userId: r.user_id, at: Number(r.presence_at) }));
}
