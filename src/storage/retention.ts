// Retention of the tables that grow with use and are read only while young (issue 16 item
// 8): the ingest event log, finished agent tasks, the LCIC room event log and GME presence
// history. Each table's rule sits next to the rest of its SQL and says what "expired" means
// for it; this module runs the rules in batches.
//
// Batched deletes, not partitions dropped whole (as the RTC QoS samples are):
// - ingest_events is also the idempotency record of ingest: its key (app, client event id)
//   must be unique across the whole table, and PostgreSQL only enforces a unique key on a
//   partitioned table when it contains the partition key. Partitioned by day, a retry that
//   lands on the next day would be stored (and applied) twice.
// - agent_tasks rows are updated in place until they finish; the time that makes one
//   expire (its finish) is not known when it is inserted, so no partition can be chosen.
// - A room's log must go as a whole, once the room's statistics no longer need it; partitions
//   by event time would cut a long class in two.
// Each batch is one short statement (at most `batch` rows, found through an index on the
// expiry time), so a run never holds locks long nor starves PGlite's single connection: the
// loop yields between batches. The dead rows are reclaimed by autovacuum on PostgreSQL and
// by the server's own vacuum rule on PGlite (server.ts).
import type { Db, Queryable } from "./db.ts";

export const DAY_MS = 86_400_000;

/** Which configured window a rule keeps its rows for. */
export type RetentionWindow = "events" | "tasks" | "roomLogs";

/** Days kept per window; 0 keeps for ever. */
export type RetentionDays = Record<RetentionWindow, number>;

export interface RetentionRule {
  /** The table (for logs and the run's answer). */
  name: string;
  window: RetentionWindow;
  /**
   * Deletes up to `limit` expired rows: older than `cutoff` (domain ms) by the rule's own
   * measure, and never one something still needs. Returns how many it deleted.
   */
  deleteBatch(q: Queryable, cutoff: number, limit: number, now: number): Promise<number>;
}

export interface RetentionRun {
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** False when the time budget ran out with rows left: run again soon. */
  complete: boolean;
}

export async function runRetention(
  db: Db,
  rules: readonly RetentionRule[],
  days: RetentionDays,
  now: number,
  opts: { batch?: number; budgetMs?: number } = {},
): Promise<RetentionRun> {
  const batch = opts.batch ?? 5000;
  const deadline = Date.now() + (opts.budgetMs ?? 20_000);
  const deleted: Record<string, number> = {};
  for (const rule of rules) {
    const keep = days[rule.window];
    if (keep <= 0) continue;
    const cutoff = now - keep * DAY_MS;
    let total = deleted[rule.name] ?? 0;
    for (;;) {
      const n = await rule.deleteBatch(db, cutoff, batch, now);
      total += n;
      deleted[rule.name] = total;
      if (n < batch) break;
      if (Date.now() > deadline) return { deleted, complete: false };
      // Let requests waiting for the connection in between (PGlite has one).
      await new Promise((r) => setImmediate(r));
    }
  }
  return { deleted, complete: true };
}
