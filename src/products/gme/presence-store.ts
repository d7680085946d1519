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
 * "-1" marks a half the change does not touch.
 */
export async function applyMemberChanges(tx: Queryable, appId: string, changes: MemberChange[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `insert into gme_room_members as m (app_id, room_id, user_id, in_room, presence_at, sending_audio, audio_at)
     select $1, r, u, ir, pa, sa, aa from unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::boolean[], $7::bigint[])
       as x(r, u, ir, pa, sa, aa)
     on conflict (app_id, room_id, user_id) do update set
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

/** Users in the room sending audio, in a stable order. */
export async function speakers(q: Queryable, appId: string, roomId: string): Promise<string[]> {
  const rows = await q.query<{ user_id: string }>(
    "select user_id from gme_room_members where app_id = $1 and room_id = $2 and in_room and sending_audio order by user_id",
    [appId, roomId],
  );
  return rows.rows.map((r) => r.user_id);
}
