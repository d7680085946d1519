// The worker agent protocol's task store: a product creates a task, a worker claims it with
// a lease, heartbeats (learning whether to go on or stop), reports, and finishes. Every
// transition is one atomic UPDATE with its condition in the WHERE clause, so two workers can
// never both hold a task, and a stop racing a finish leaves one consistent state.
//
// Lock order, to stay free of deadlocks: a transaction that touches both an agent task and
// the product's own row for it locks the agent task first (every function here that takes
// `tx` does so with its first statement).
//
// A lease is proved by its token (issue 16 item 4): a claim draws a random token, keeps its
// hash and the worker credential that claimed, and hands the token to the worker once. A
// heartbeat or report counts only with the token, through that same credential, from that
// worker id: knowing a task id (or another lease's token) is not enough to act for its worker.
import { randomBytes } from "node:crypto";
import type { TSchema } from "@sinclair/typebox";
import type { ProductContext } from "../product-context.ts";
import type { Db, Queryable } from "../storage/db.ts";
import type { RetentionRule } from "../storage/retention.ts";
import type { Clock } from "../time/clock.ts";
import { hashToken } from "../tenancy/token-hash.ts";

/** Who acts on a lease: the worker id it claimed with and the credential it authenticated with. */
export interface Holder {
  workerId: string;
  credentialId: string;
}

/** A task and the token of its lease, as the worker sends them. */
export interface Lease {
  taskId: string;
  leaseToken: string;
}

export interface AgentTask {
  appId: string;
  taskId: string;
  kind: string;
  state: "queued" | "claimed" | "done";
  stopRequested: boolean;
  workerId: string | null;
  leaseUntil: number | null;
  /** Claims so far (the current one included). */
  attempts: number;
  maxAttempts: number;
  spec: Record<string, unknown>;
}

export interface AgentReport {
  type: string;
  /** Client time of the report, Unix ms (defaults to the server's domain time). */
  time?: number;
  data?: Record<string, unknown>;
}

/** A held task and the reports its worker sent for it (already validated). */
export interface TaskReports {
  task: AgentTask;
  reports: AgentReport[];
}

/** What a product declares for each kind of task its workers run. */
export interface AgentKind {
  /** e.g. "tiw-push", "gme-record" */
  kind: string;
  /** The product whose apps own such tasks. */
  product: string;
  /** Report types and the schema of their data (validated before onReport). */
  reports: Record<string, TSchema>;
  /** Applies a report from the lease holder, inside the transaction that checked the lease. */
  onReport(tx: Queryable, task: AgentTask, report: AgentReport, ctx: ProductContext<any>): Promise<void>;
  /**
   * Optional: applies the reports of several tasks at once (POST /agent/v1/reports), inside
   * the transaction that locked every task's lease; each task's reports in order. It must
   * leave the same state, and refuse with the same error, as calling onReport for each
   * report in turn — which is what happens for a kind that does not implement it.
   */
  onReports?(tx: Queryable, batch: readonly TaskReports[], ctx: ProductContext<any>): Promise<void>;
  /**
   * A lease ran out (the worker vanished). The task is already back in the queue (or done,
   * when its attempts are used up: `final`). Count the exception, fail the task, ...
   */
  onLeaseExpired(tx: Queryable, task: AgentTask, final: boolean, ctx: ProductContext<any>): Promise<void>;
}

/** A kind as the server mounts it: with the context of the product that declared it. */
export interface MountedKind {
  kind: AgentKind;
  ctx: ProductContext<any>;
}

interface Row {
  app_id: string;
  task_id: string;
  kind: string;
  state: AgentTask["state"];
  stop_requested: boolean;
  worker_id: string | null;
  lease_until: number | null;
  attempts: number;
  max_attempts: number;
  spec: Record<string, unknown>;
}

const toTask = (r: Row): AgentTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  kind: r.kind,
  state: r.state,
  stopRequested: r.stop_requested,
  workerId: r.worker_id,
  leaseUntil: r.lease_until,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  spec: r.spec,
});

export async function createTask(
  tx: Queryable,
  t: { appId: string; taskId: string; kind: string; spec: Record<string, unknown>; maxAttempts: number; now: number },
): Promise<void> {
  await tx.query(
    `insert into agent_tasks (app_id, task_id, kind, spec, max_attempts, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $6)`,
    [t.appId, t.taskId, t.kind, JSON.stringify(t.spec), t.maxAttempts, t.now],
  );
}

export async function getTask(q: Queryable, appId: string, taskId: string, forUpdate = false): Promise<AgentTask | null> {
  const rows = await q.query<Row>(`select * from agent_tasks where app_id = $1 and task_id = $2${forUpdate ? " for update" : ""}`, [
    appId,
    taskId,
  ]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/**
 * Asks the task to stop. A task no worker holds is done at once (returns "done"); a held
 * task keeps running until its worker learns it on its next heartbeat and confirms
 * (returns "requested"). Returns null when the task is already done.
 */
export async function requestStop(tx: Queryable, appId: string, taskId: string, now: number): Promise<"done" | "requested" | null> {
  const rows = await tx.query<{ state: string }>(
    `update agent_tasks set stop_requested = true, updated_at = $3,
       state = case when state = 'queued' then 'done' else state end
     where app_id = $1 and task_id = $2 and state <> 'done'
     returning state`,
    [appId, taskId, now],
  );
  const state = rows.rows[0]?.state;
  return state === undefined ? null : state === "done" ? "done" : "requested";
}

/** Ends a task for good (finished, failed, auto-stopped). Returns false if it was already done. */
export async function finishTask(tx: Queryable, appId: string, taskId: string, now: number): Promise<boolean> {
  const rows = await tx.query(
    `update agent_tasks set state = 'done', worker_id = null, lease_until = null, updated_at = $3
     where app_id = $1 and task_id = $2 and state <> 'done'`,
    [appId, taskId, now],
  );
  return rows.rowCount > 0;
}

/**
 * Claims the oldest queued task of a kind for an app; null when there is none. The lease
 * token is returned here only (its hash is kept): every heartbeat and report must carry it.
 */
export async function claimTask(
  q: Queryable,
  appId: string,
  kind: string,
  holder: Holder,
  leaseMs: number,
  now: number,
): Promise<(AgentTask & { leaseToken: string }) | null> {
  const leaseToken = `rlls_${randomBytes(24).toString("base64url")}`;
  const rows = await q.query<Row>(
    `update agent_tasks set state = 'claimed', worker_id = $3, lease_until = $4, attempts = attempts + 1, updated_at = $5,
       lease_token_hash = $6, credential_id = $7
     where (app_id, task_id) = (
       select app_id, task_id from agent_tasks
       where app_id = $1 and kind = $2 and state = 'queued'
       order by created_at, task_id limit 1 for update skip locked)
     returning *`,
    [appId, kind, holder.workerId, Date.now() + leaseMs, now, hashToken(leaseToken), holder.credentialId],
  );
  return rows.rows[0] ? { ...toTask(rows.rows[0]), leaseToken } : null;
}

/** The leases as two arrays for unnest(): task ids and token hashes. */
const leaseArrays = (leases: readonly Lease[]): [string[], string[]] => [
  leases.map((l) => l.taskId),
  leases.map((l) => hashToken(l.leaseToken)),
];

/**
 * A heartbeat only pushes a lease further out: if the database crashed right after one, the
 * lease would look older than it was, and the worker heartbeats again within a third of it.
 * Not worth a WAL flush each, so heartbeats commit asynchronously (synchronous_commit off,
 * for their own single-statement transaction only; every other change stays durable).
 */
const ASYNC_COMMIT = "(select set_config('synchronous_commit', 'off', true)) as async_commit";

/**
 * Extends the lease of the holder. Returns the task (with stopRequested telling the worker
 * to stop), or null when this worker does not hold it (lost lease, done, unknown, another
 * lease's token).
 */
export async function heartbeat(q: Queryable, appId: string, lease: Lease, holder: Holder, leaseMs: number): Promise<AgentTask | null> {
  const rows = await q.query<Row>(
    `update agent_tasks set lease_until = $4 from ${ASYNC_COMMIT}
     where app_id = $1 and task_id = $2 and worker_id = $3 and state = 'claimed' and lease_token_hash = $5 and credential_id = $6
     returning agent_tasks.*`,
    [appId, lease.taskId, holder.workerId, Date.now() + leaseMs, hashToken(lease.leaseToken), holder.credentialId],
  );
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/**
 * Extends the leases of several tasks this worker holds, in one statement (a worker node
 * running many pushes heartbeats them together). Returns, for each task it still holds,
 * whether it is asked to stop; tasks it does not hold are left out.
 */
export async function heartbeatMany(
  q: Queryable,
  appId: string,
  leases: readonly Lease[],
  holder: Holder,
  leaseMs: number,
): Promise<Map<string, boolean>> {
  const [taskIds, hashes] = leaseArrays(leases);
  const rows = await q.query<{ task_id: string; stop_requested: boolean }>(
    `update agent_tasks t set lease_until = $4 from ${ASYNC_COMMIT}, unnest($2::text[], $5::text[]) as l (task_id, token_hash)
     where t.app_id = $1 and t.task_id = l.task_id and t.lease_token_hash = l.token_hash
       and t.worker_id = $3 and t.credential_id = $6 and t.state = 'claimed'
     returning t.task_id, t.stop_requested`,
    [appId, taskIds, holder.workerId, Date.now() + leaseMs, hashes, holder.credentialId],
  );
  return new Map(rows.rows.map((r) => [r.task_id, r.stop_requested]));
}

/** The task, locked, if this worker holds its lease (for applying a report). */
export async function lockHeld(tx: Queryable, appId: string, lease: Lease, holder: Holder): Promise<AgentTask | null> {
  const rows = await tx.query<Row>(
    `select * from agent_tasks
     where app_id = $1 and task_id = $2 and worker_id = $3 and state = 'claimed' and lease_token_hash = $4 and credential_id = $5
     for update`,
    [appId, lease.taskId, holder.workerId, hashToken(lease.leaseToken), holder.credentialId],
  );
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

/**
 * The tasks among `taskIds` this worker holds, locked, in task id order (a stable order, so
 * two batches naming the same tasks cannot deadlock). Tasks it does not hold are left out.
 */
export async function lockHeldMany(tx: Queryable, appId: string, leases: readonly Lease[], holder: Holder): Promise<AgentTask[]> {
  const [taskIds, hashes] = leaseArrays(leases);
  const rows = await tx.query<Row>(
    `select t.* from agent_tasks t join unnest($2::text[], $4::text[]) as l (task_id, token_hash)
       on t.task_id = l.task_id and t.lease_token_hash = l.token_hash
     where t.app_id = $1 and t.worker_id = $3 and t.credential_id = $5 and t.state = 'claimed'
     order by t.task_id for update of t`,
    [appId, taskIds, holder.workerId, hashes, holder.credentialId],
  );
  return rows.rows.map(toTask);
}

/**
 * At start-up: every claimed task's lease runs at least one full lease from now. While no
 * server answered, no worker could heartbeat, and a lease that ran out during the outage
 * says nothing about its worker: without this, the first sweep after a restart longer than
 * a lease would take every running task from a healthy worker and spend an attempt (issue
 * 16 item 5). A worker that really died with the server loses its task one lease later.
 * Several instances on one PostgreSQL: one restarting grants the same grace to all tasks,
 * which delays the takeover of a dead worker's task by at most one lease.
 */
export async function graceLeasesAtStart(q: Queryable, leaseMs: number): Promise<number> {
  const rows = await q.query(`update agent_tasks set lease_until = $1 where state = 'claimed' and lease_until < $1`, [
    Date.now() + leaseMs,
  ]);
  return rows.rowCount;
}

/**
 * Takes back the tasks whose lease ran out: each goes back to the queue, or is done when its
 * attempts are used up; its kind's onLeaseExpired runs in the same transaction. Several
 * instances may sweep at once: SKIP LOCKED gives each expired task to exactly one.
 */
export async function sweepExpiredLeases(db: Db, clock: Clock, kinds: ReadonlyMap<string, MountedKind>, limit = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<Row>(
      `select * from agent_tasks where state = 'claimed' and lease_until < $1
       order by lease_until limit $2 for update skip locked`,
      [Date.now(), limit],
    );
    for (const r of rows.rows) {
      const final = r.attempts >= r.max_attempts || r.stop_requested;
      await tx.query(
        `update agent_tasks set state = $3, worker_id = null, lease_until = null, updated_at = $4
         where app_id = $1 and task_id = $2`,
        [r.app_id, r.task_id, final ? "done" : "queued", clock.now()],
      );
      const mounted = kinds.get(r.kind);
      if (mounted)
        await mounted.kind.onLeaseExpired(tx, { ...toTask(r), state: final ? "done" : "queued", workerId: null }, final, mounted.ctx);
    }
    return rows.rows.length;
  });
}

/**
 * Retention of finished tasks: done for longer than the window (updated_at is when it was
 * finished: nothing changes a done task). A queued or claimed task is never deleted, however
 * old: it is still somebody's work.
 */
export const finishedTaskRetention: RetentionRule = {
  name: "agent_tasks",
  window: "tasks",
  async deleteBatch(q, cutoff, limit) {
    const res = await q.query(
      `delete from agent_tasks where ctid = any(array(
         select ctid from agent_tasks where state = 'done' and updated_at < $1 limit $2))
       and state = 'done' and updated_at < $1`,
      [cutoff, limit],
    );
    return res.rowCount;
  },
};
