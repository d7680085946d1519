// SQL of the stored statistics of ended rooms: the summary (lcic_room_stats) and one record
// per member (lcic_member_stats), replaced whole by the statistics job.
import { JsonText } from "../../../protocols/tencent/action.ts";
import type { Queryable } from "../../../storage/db.ts";
import type { Room } from "../rooms/rooms-store.ts";
import type { RoomStatistics } from "./statistics.ts";

export type StatsSummary = Omit<RoomStatistics, "records">;

/**
 * Replaces the room's stored statistics with these, computed from stream `version`, unless
 * newer ones are stored. Inside the caller's transaction: one writer per room at a time (two
 * instances, or a job and a manual run), the room row being the lock.
 */
export async function replaceStatistics(tx: Queryable, room: Room, stats: RoomStatistics, version: number, now: number): Promise<void> {
  const { records, ...summary } = stats;
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
}

/** The stored summary and the stream version it was computed from, or null. */
export async function statsSummary(
  q: Queryable,
  room: Pick<Room, "appId" | "roomId">,
): Promise<{ version: number; summary: StatsSummary } | null> {
  const rows = await q.query<{ stats_version: number; summary: StatsSummary }>(
    "select stats_version, summary from lcic_room_stats where app_id = $1 and room_id = $2",
    [room.appId, room.roomId],
  );
  const r = rows.rows[0];
  return r ? { version: Number(r.stats_version), summary: r.summary } : null;
}

/** The member records [from, to) in their stored order. */
export async function memberRecords(q: Queryable, room: Room, from: number, to: number): Promise<unknown[]> {
  const rows = await q.query<{ record: unknown }>(
    "select record from lcic_member_stats where app_id = $1 and room_id = $2 and ord >= $3 and ord < $4 order by ord",
    [room.appId, room.roomId, from, to],
  );
  return rows.rows.map((r) => r.record);
}

/**
 * The member records [from, to) as their stored JSON text (written by JSON.stringify into a
 * `json` column, which keeps text as given): the envelope splices it, not parsed here.
 */
export async function memberRecordTexts(q: Queryable, room: Room, from: number, to: number): Promise<JsonText[]> {
  const rows = await q.query<{ record: string }>(
    "select record::text as record from lcic_member_stats where app_id = $1 and room_id = $2 and ord >= $3 and ord < $4 order by ord",
    [room.appId, room.roomId, from, to],
  );
  return rows.rows.map((r) => new JsonText(r.record));
}
