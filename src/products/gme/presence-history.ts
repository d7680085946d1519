// SQL and folding of GME presence history (gme_presence_marks): every "in" and "out" of a
// user in a voice room, in event time, for DescribeUserInAndOutTime.
import type { Queryable } from "../../storage/db.ts";
import type { RetentionRule } from "../../storage/retention.ts";

export interface PresenceMark {
  roomId: string;
  userId: string;
  /** Event time, Unix ms. */
  at: number;
  inRoom: boolean;
}

export async function logPresenceMarks(tx: Queryable, appId: string, marks: PresenceMark[]): Promise<void> {
  if (marks.length === 0) return;
  await tx.query(
    `insert into gme_presence_marks (app_id, room_id, user_id, at, in_room)
     select $1, r, u, a, i from unnest($2::text[], $3::text[], $4::bigint[], $5::boolean[]) as x(r, u, a, i)`,
    [appId, marks.map((m) => m.roomId), marks.map((m) => m.userId), marks.map((m) => m.at), marks.map((m) => m.inRoom)],
  );
}

/**
 * One user's marks in one room, in event time (ties in arrival order). One JSON value rather
 * than a row per mark: row decoding dominates on PGlite for a long history (as in
 * stream-store.ts).
 */
export async function presenceMarks(
  q: Queryable,
  appId: string,
  roomId: string,
  userId: string,
): Promise<{ at: number; inRoom: boolean }[]> {
  const rows = await q.query<{ m: [number, boolean][] }>(
    `select coalesce(json_agg(json_build_array(at, in_room) order by at, seq), '[]') as m
     from gme_presence_marks where app_id = $1 and room_id = $2 and user_id = $3`,
    [appId, roomId, userId],
  );
  return rows.rows[0]!.m.map(([at, inRoom]) => ({ at: Number(at), inRoom }));
}

export interface Interval {
  start: number;
  end: number;
}

/**
 * Folds marks (in time order) into stays: an "in" while out opens one, an "out" while in
 * closes it; repeats ("in" while in: audio started after entering) change nothing, and an
 * "out" while out (a duplicate leave) neither. A stay still open ends at `now`: the user is in
 * the room, and the time so far is what a caller asking now wants counted.
 */
export function foldIntervals(marks: readonly { at: number; inRoom: boolean }[], now: number): Interval[] {
  const out: Interval[] = [];
  let openedAt: number | null = null;
  for (const m of marks) {
    if (m.inRoom && openedAt === null) openedAt = m.at;
    else if (!m.inRoom && openedAt !== null) {
      out.push({ start: openedAt, end: m.at });
      openedAt = null;
    }
  }
  if (openedAt !== null) out.push({ start: openedAt, end: Math.max(now, openedAt) });
  return out;
}

/**
 * Retention of the presence history (ROOMLEDGER_ROOM_LOG_RETENTION_DAYS): a user's marks in
 * a room older than the window go up to and including their last "out" before the cutoff.
 * Folding a prefix that ends with an "out" always leaves the user out, so what is deleted is
 * whole stays that ended before the cutoff, and every later stay folds exactly as before; a
 * stay still open at the cutoff (a user in the room for days) keeps its "in".
 */
export const presenceRetention: RetentionRule = {
  name: "gme_presence_marks",
  window: "roomLogs",
  async deleteBatch(q, cutoff, limit) {
    const res = await q.query(
      `delete from gme_presence_marks where ctid = any(array(
         select m.ctid from gme_presence_marks m
         where m.at < $1 and exists (
           select 1 from gme_presence_marks o
           where o.app_id = m.app_id and o.room_id = m.room_id and o.user_id = m.user_id
             and not o.in_room and o.at < $1 and (o.at, o.seq) >= (m.at, m.seq))
         limit $2))`,
      [cutoff, limit],
    );
    return res.rowCount;
  },
};
