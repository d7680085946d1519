// Jobs on a PostgreSQL table claimed with FOR UPDATE SKIP LOCKED: the same code on PGlite
// and PostgreSQL, and several instances on one PostgreSQL never run a job twice at once.
//
// Why not pg-boss: its delays run on the database's now(), and ours must run on the
// injectable domain clock, so that advancing development time (a 30-minute auto-stop in a
// millisecond test) makes delayed jobs due. The queue itself is small.
//
// run_at is domain time; the lease (locked_until) is wall time, so a crashed worker's job is
// taken up again once its lease runs out. A claimed job is 'running', so a singleton key
// enqueued again while its job runs makes a new pending job (not a change to the running
// one, which would be lost when it finishes and deletes its row). Handlers must be idempotent: a job may run again
// after a crash between its work and its deletion.
import { AsyncLocalStorage } from "node:async_hooks";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { UNIQUE_VIOLATION, sqlState, type Db, type Queryable } from "../storage/db.ts";
import type { Clock } from "../time/clock.ts";
import { lowerAlnum } from "../ids.ts";

export interface JobContext {
  /** Which attempt this is, from 1. */
  attempt: number;
  jobId: number;
}

export interface JobType<P> {
  name: string;
  run(payload: P, ctx: JobContext): Promise<void>;
  /** Attempts before the job is marked failed (default 10). */
  maxAttempts?: number;
  /** Delay before retry n (1-based), in ms of domain time (default exponential from 1 s, capped at 5 min). */
  backoffMs?: (attempt: number) => number;
}

export interface EnqueueOptions {
  /** Domain time at which the job becomes due (default now). */
  runAt?: number;
  /** While a pending job with this key exists, enqueueing again does nothing (or replaces its time). */
  singletonKey?: string;
  /** With singletonKey: move the pending job to the new runAt and payload instead of keeping it. */
  replace?: boolean;
  /** Enqueue inside the caller's transaction, so the job exists only if the change commits. */
  tx?: Queryable;
}

const LEASE_MS = 60_000;

interface JobRow {
  id: number;
  name: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

export class JobQueue {
  private readonly types = new Map<string, JobType<any>>();
  private readonly worker = `${hostname()}-${process.pid}-${lowerAlnum(4)}`;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private kicked = false;
  /**
   * The poll loop runs in the queue's own async context, not in that of whoever kicked it
   * (an enqueue inside a request's transaction): its queries are not that transaction's.
   */
  private readonly detached = AsyncLocalStorage.snapshot();

  private readonly db: Db;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly pollMs: number;
  private readonly concurrency: number;

  constructor(db: Db, clock: Clock, log: Logger, pollMs: number, concurrency = 4) {
    this.db = db;
    this.clock = clock;
    this.log = log;
    this.pollMs = pollMs;
    this.concurrency = concurrency;
  }

  register(type: JobType<any>): void {
    if (this.types.has(type.name)) throw new Error(`job type ${type.name} registered twice`);
    this.types.set(type.name, type);
  }

  async enqueue<P>(name: string, payload: P, opts: EnqueueOptions = {}): Promise<void> {
    const type = this.types.get(name);
    if (!type) throw new Error(`unknown job type ${name}`);
    const q = opts.tx ?? this.db;
    const conflict = opts.singletonKey
      ? opts.replace
        ? "on conflict (singleton_key) where state = 'pending' do update set run_at = excluded.run_at, payload = excluded.payload"
        : "on conflict (singleton_key) where state = 'pending' do nothing"
      : "";
    await q.query(
      `insert into jobs (name, payload, run_at, max_attempts, singleton_key, created_at)
       values ($1, $2, $3, $4, $5, $6) ${conflict}`,
      [name, JSON.stringify(payload), opts.runAt ?? this.clock.now(), type.maxAttempts ?? 10, opts.singletonKey ?? null, this.clock.now()],
    );
    this.kick();
  }

  /** Starts polling for due jobs: the first poll after `firstPollMs` (an enqueue polls at once). */
  start(firstPollMs = 0): void {
    this.stopping = false;
    this.schedule(firstPollMs);
  }

  /** Looks for due jobs now (after an enqueue, or after the clock moved). */
  kick(): void {
    if (this.stopping || this.timer === null) return;
    if (this.running) {
      this.kicked = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.detached(() => void this.tick()), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopping) return;
    this.running = true;
    this.kicked = false;
    let claimed = 0;
    try {
      claimed = await this.runDue();
    } catch (err) {
      this.log.error({ err }, "job poll failed");
    } finally {
      this.running = false;
    }
    if (!this.stopping) this.schedule(claimed > 0 || this.kicked ? 0 : this.pollMs);
  }

  /** Claims and runs due jobs; returns how many were claimed. Exposed for tests. */
  async runDue(): Promise<number> {
    const free = this.concurrency - this.inFlight.size;
    if (free <= 0) {
      await Promise.race(this.inFlight);
      return 1;
    }
    const wall = Date.now();
    const claimed = await this.db.query<JobRow>(
      `update jobs set state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1
       where id in (
         select id from jobs
         where (state = 'pending' and run_at <= $3) or (state = 'running' and locked_until < $4)
         order by run_at, id limit $5 for update skip locked)
       returning id, name, payload, attempts, max_attempts`,
      [this.worker, wall + LEASE_MS, this.clock.now(), wall, free],
    );
    for (const row of claimed.rows) {
      const p = this.execute(row).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
    return claimed.rows.length;
  }

  private async execute(row: JobRow): Promise<void> {
    const type = this.types.get(row.name);
    try {
      if (!type) throw new Error(`no handler for job type ${row.name}`);
      await type.run(row.payload, { attempt: row.attempts, jobId: row.id });
      await this.db.query("delete from jobs where id = $1 and locked_by = $2", [row.id, this.worker]);
    } catch (err) {
      const final = row.attempts >= row.max_attempts;
      const delay = type?.backoffMs?.(row.attempts) ?? Math.min(1000 * 2 ** (row.attempts - 1), 300_000);
      this.log.warn({ err, job: row.name, jobId: row.id, attempt: row.attempts, final }, "job failed");
      try {
        await this.db.query(
          `update jobs set state = $2, run_at = $3, locked_by = null, locked_until = null, last_error = $4
           where id = $1 and locked_by = $5`,
          [row.id, final ? "failed" : "pending", this.clock.now() + delay, String(err).slice(0, 2000), this.worker],
        );
      } catch (e) {
        // A singleton job enqueued again while this one ran is pending already: it
        // supersedes this retry.
        if (sqlState(e) === UNIQUE_VIOLATION)
          await this.db.query("delete from jobs where id = $1 and locked_by = $2", [row.id, this.worker]);
        else this.log.error({ err: e }, "could not record a job failure");
      }
    }
  }

  /** Stops claiming and waits for the jobs in flight (graceful shutdown). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs due jobs until none is left (tests and the development clock). */
  async drain(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runDue();
      await Promise.allSettled([...this.inFlight]);
      if (n === 0 && this.inFlight.size === 0) return;
    }
  }
}
