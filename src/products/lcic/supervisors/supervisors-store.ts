// Supervisors (巡课) of an LCIC app: registered users who may look into any class of the app.
// They are not expected attendees; in a room's statistics a supervisor who joined without a
// reported Role is Role 3.
import type { Queryable } from "../../../storage/db.ts";

/** Adds the users as supervisors; those already supervisors keep their place. */
export async function addSupervisors(q: Queryable, appId: string, userIds: readonly string[], now: number): Promise<void> {
  await q.query(
    `insert into lcic_supervisors (app_id, user_id, added_at)
     select $1, u.id, $3::bigint from unnest($2::text[]) with ordinality as u(id, ord) order by u.ord
     on conflict do nothing`,
    [appId, userIds, now],
  );
}

/** Those of `userIds` that are supervisors of the app. */
export async function supervisorsAmong(q: Queryable, appId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await q.query<{ user_id: string }>("select user_id from lcic_supervisors where app_id = $1 and user_id = any($2::text[])", [
    appId,
    userIds,
  ]);
  return new Set(rows.rows.map((r) => r.user_id));
}

export async function removeSupervisors(q: Queryable, appId: string, userIds: readonly string[]): Promise<void> {
  await q.query("delete from lcic_supervisors where app_id = $1 and user_id = any($2::text[])", [appId, userIds]);
}

/** A page of the app's supervisors in the order they were added, and how many there are. */
export async function supervisorsPage(
  q: Queryable,
  appId: string,
  limit: number,
  offset: number,
): Promise<{ total: number; userIds: string[] }> {
  const total = await q.query<{ n: number }>("select count(*)::int as n from lcic_supervisors where app_id = $1", [appId]);
  const rows = await q.query<{ user_id: string }>(
    "select user_id from lcic_supervisors where app_id = $1 order by pos limit $2 offset $3",
    [appId, limit, offset],
  );
  return { total: total.rows[0]!.n, userIds: rows.rows.map((r) => r.user_id) };
}
