// The sample product's SQL, and only here (as in every product folder).
import type { Queryable } from "../../../src/storage/db.ts";

export async function addTicks(tx: Queryable, appId: string, ids: string[], at: number): Promise<void> {
  await tx.query("insert into sample_ticks (app_id, tick_id, at) select $1, unnest($2::text[]), $3 on conflict do nothing", [
    appId,
    ids,
    at,
  ]);
}

export async function tickCount(q: Queryable, appId: string): Promise<number> {
  const r = await q.query<{ n: number }>("select count(*)::int as n from sample_ticks where app_id = $1", [appId]);
  return r.rows[0]!.n;
}
