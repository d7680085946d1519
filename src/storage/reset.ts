// Reset of a development or in-memory ledger: every product's state emptied in one
// transaction, found from the catalog rather than declared by each product, so a new product
// (or a new table) is covered without a line here. The rule, by table:
// - Kept always: the migrations' bookkeeping, the platform's accounts, key pairs and admin
//   tokens, and every other table without an `app_id` column (account-level rows such as
//   Huawei X-Auth-Tokens; rate-limit counters).
// - Kept unless the apps are dropped too: the apps, their ingest keys and worker credentials, and each app's
//   settings: the tables whose primary key is the app itself (`app_id`, or `app_id` and
//   `product`): GME's recording switch, callback URLs, a TRRO project's fields, ...
// - Emptied: every other table with an `app_id` column: rooms, users, groups, tasks,
//   sessions, samples, events, messages, statistics.
// - Jobs: those with a payload are about some room, task or session and go; payload-less
//   ones are the platform's recurring maintenance (RTC partitions) and stay.
// Identities are not restarted: an id handed out before the reset stays unknown afterwards
// instead of naming something new. The domain clock is not moved back.
// Whether a reset is allowed at all is the caller's decision (the admin route exists only
// in development mode or in memory).
import type { Db } from "./db.ts";

const ALWAYS_KEPT = new Set(["schema_migrations", "accounts", "api_keys", "admin_tokens"]);
// A media server's link to an app, its settings and its mappings are the app's configuration,
// as its ingest keys are (src/sources).
const APP_TABLES = new Set([
  "apps",
  "ingest_keys",
  "source_links",
  "source_settings",
  "source_room_map",
  "source_user_map",
  "worker_credentials",
]);

export interface ResetResult {
  /** Tables emptied (partitioned ones once, by their parent). */
  emptied: string[];
  jobsDeleted: number;
}

export async function resetLedger(db: Db, opts: { apps?: boolean } = {}): Promise<ResetResult> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string; has_app: boolean; pk: string[] | null }>(
      `select c.relname as name,
              exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'app_id' and not a.attisdropped) as has_app,
              (select array_agg(a.attname::text order by a.attname) from pg_index i
                 join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                where i.indrelid = c.oid and i.indisprimary) as pk
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition`,
    );
    const emptied = rows
      .filter(({ name, has_app, pk }) => {
        if (ALWAYS_KEPT.has(name) || name === "jobs") return false;
        if (APP_TABLES.has(name)) return opts.apps === true;
        if (!has_app) return false;
        const settings = pk?.every((c) => c === "app_id" || c === "product");
        return !settings || opts.apps === true;
      })
      .map((r) => r.name)
      .sort();
    // One statement: tables that reference each other are emptied together; a kept table
    // that references an emptied one makes it fail (no CASCADE), and nothing is changed.
    if (emptied.length > 0) await tx.query(`truncate ${emptied.map((t) => `"${t}"`).join(", ")}`);
    const jobs = await tx.query("delete from jobs where payload <> '{}'::jsonb");
    return { emptied, jobsDeleted: jobs.rowCount };
  });
}
