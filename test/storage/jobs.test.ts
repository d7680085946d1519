// The job queue's contract, on every backend: delayed jobs become due only when the domain
// clock reaches them, failures retry with backoff and end `failed`, singleton keys, enqueue
// inside a transaction, and two queues on one database never run one job twice.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { backends } from "../support/postgres.ts";
import { openBackend, type Opened } from "./open-backend.ts";
import { JobQueue, type JobType } from "../../src/jobs/queue.ts";
import { SystemClock } from "../../src/time/clock.ts";
import type { Db } from "../../src/storage/db.ts";

const log = pino({ level: "silent" });

interface JobRow {
  name: string;
  state: string;
  attempts: number;
  run_at: number;
  last_error: string | null;
  payload: { n?: number };
}
const jobsOf = async (db: Db, name: string) =>
  (await db.query<JobRow>("select name, state, attempts, run_at, last_error, payload from jobs where name = $1 order by id", [name])).rows;

for (const backend of backends()) {
  describe(`JobQueue on ${backend}`, () => {
    let opened: Opened;
    let db: Db;
    let clock: SystemClock;
    let queue: JobQueue;
    const ran: { name: string; payload: unknown; attempt: number }[] = [];
    const record = (name: string, extra: Partial<JobType<any>> = {}): JobType<any> => ({
      name,
      async run(payload, ctx) {
        ran.push({ name, payload, attempt: ctx.attempt });
      },
      ...extra,
    });
    before(async () => {
      opened = await openBackend(backend);
      db = opened.db;
      clock = new SystemClock(true);
      queue = new JobQueue(db, clock, log, 1000);
      queue.register(record("delayed"));
      queue.register(record("single"));
      queue.register(record("txjob"));
      queue.register(
        record("flaky", {
          maxAttempts: 3,
          backoffMs: (attempt) => attempt * 60_000,
          async run(_p, ctx) {
            ran.push({ name: "flaky", payload: null, attempt: ctx.attempt });
            throw new Error(`attempt ${ctx.attempt} failed`);
          },
        }),
      );
    });
    after(() => db.close());

    test("a delayed job is due only when the domain clock reaches it", async () => {
      await queue.enqueue("delayed", { n: 1 }, { runAt: clock.now() + 30 * 60_000 });
      await queue.drain();
      assert.equal(ran.filter((r) => r.name === "delayed").length, 0);
      clock.advance(29 * 60_000);
      await queue.drain();
      assert.equal(ran.filter((r) => r.name === "delayed").length, 0);
      clock.advance(60_000);
      await queue.drain();
      assert.deepEqual(
        ran.filter((r) => r.name === "delayed"),
        [{ name: "delayed", payload: { n: 1 }, attempt: 1 }],
      );
      assert.deepEqual(await jobsOf(db, "delayed"), [], "a finished job is removed");
    });

    test("a failing job retries with backoff on the domain clock, then is marked failed", async () => {
      await queue.enqueue("flaky", {});
      await queue.drain();
      const attempts = () => ran.filter((r) => r.name === "flaky").map((r) => r.attempt);
      assert.deepEqual(attempts(), [1]);
      let [row] = await jobsOf(db, "flaky");
      assert.equal(row!.state, "pending");
      assert.match(String(row!.last_error), /attempt 1 failed/);
      clock.advance(59_000); // backoff after attempt 1 is 60 s
      await queue.drain();
      assert.deepEqual(attempts(), [1]);
      clock.advance(1_000);
      await queue.drain();
      assert.deepEqual(attempts(), [1, 2]);
      clock.advance(120_000); // backoff after attempt 2 is 120 s
      await queue.drain();
      assert.deepEqual(attempts(), [1, 2, 3]);
      [row] = await jobsOf(db, "flaky");
      assert.equal(row!.state, "failed");
      assert.equal(row!.attempts, 3);
      clock.advance(3_600_000);
      await queue.drain();
      assert.deepEqual(attempts(), [1, 2, 3], "a failed job does not run again");
    });

    test("singleton keys: one pending job per key; replace moves it", async () => {
      const t0 = clock.now();
      await queue.enqueue("single", { n: 1 }, { singletonKey: "room-1", runAt: t0 + 10_000 });
      await queue.enqueue("single", { n: 2 }, { singletonKey: "room-1", runAt: t0 + 20_000 });
      let rows = await jobsOf(db, "single");
      assert.equal(rows.length, 1);
      assert.deepEqual([rows[0]!.payload, rows[0]!.run_at], [{ n: 1 }, t0 + 10_000]);
      await queue.enqueue("single", { n: 3 }, { singletonKey: "room-1", runAt: t0 + 50_000, replace: true });
      rows = await jobsOf(db, "single");
      assert.deepEqual([rows.length, rows[0]!.payload, rows[0]!.run_at], [1, { n: 3 }, t0 + 50_000]);
      clock.advance(50_000);
      await queue.drain();
      assert.deepEqual(
        ran.filter((r) => r.name === "single").map((r) => r.payload),
        [{ n: 3 }],
      );
      // Once it ran, the key is free again.
      await queue.enqueue("single", { n: 4 }, { singletonKey: "room-1" });
      await queue.drain();
      assert.deepEqual(
        ran.filter((r) => r.name === "single").map((r) => r.payload),
        [{ n: 3 }, { n: 4 }],
      );
    });

    test("a singleton enqueued again while its job runs is kept and runs after it", async () => {
      const q = new JobQueue(db, clock, log, 5);
      const runs: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      q.register({
        name: "gated",
        async run(p: { n: number }) {
          runs.push(p.n);
          if (p.n === 1) await gate;
        },
      });
      await q.enqueue("gated", { n: 1 }, { singletonKey: "gated-key" });
      const first = q.runDue();
      for (let i = 0; i < 200 && runs.length === 0; i++) await sleep(10);
      assert.deepEqual(runs, [1]);
      // While n=1 runs, the key is enqueued again with replace: a new pending job, not a
      // change to the running one (which deleting its row on success would lose).
      await q.enqueue("gated", { n: 2 }, { singletonKey: "gated-key", replace: true });
      release();
      await first;
      await q.drain();
      assert.deepEqual(runs, [1, 2]);
      assert.deepEqual(await jobsOf(db, "gated"), []);
    });

    test("a job enqueued in a rolled-back transaction does not exist", async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await queue.enqueue("txjob", { n: 1 }, { tx });
          throw new Error("rollback");
        }),
      );
      await db.transaction((tx) => queue.enqueue("txjob", { n: 2 }, { tx }));
      await queue.drain();
      assert.deepEqual(
        ran.filter((r) => r.name === "txjob").map((r) => r.payload),
        [{ n: 2 }],
      );
      await assert.rejects(queue.enqueue("unregistered", {}), /unknown job type/);
    });

    test("stop() waits for the jobs in flight (graceful shutdown)", async () => {
      const q = new JobQueue(db, clock, log, 5);
      let started = false;
      let finished = false;
      q.register({
        name: "slow",
        async run() {
          started = true;
          await sleep(300);
          finished = true;
        },
      });
      q.start();
      await q.enqueue("slow", {});
      for (let i = 0; i < 200 && !started; i++) await sleep(10);
      assert.ok(started);
      await q.stop();
      assert.ok(finished, "stop resolved before the running job finished");
      assert.deepEqual(await jobsOf(db, "slow"), []);
    });

    test("two queues on one database never run one job twice", async () => {
      const other = await opened.reopen();
      const runs: number[] = [];
      const by = { a: 0, b: 0 };
      const counted = (who: "a" | "b"): JobType<{ n: number }> => ({
        name: "counted",
        async run(p) {
          runs.push(p.n);
          by[who]++;
          await sleep(1);
        },
      });
      const a = new JobQueue(db, clock, log, 5, 4);
      const b = new JobQueue(other, clock, log, 5, 4);
      a.register(counted("a"));
      b.register(counted("b"));
      const N = 150;
      for (let n = 0; n < N; n++) await a.enqueue("counted", { n });
      a.start();
      b.start();
      try {
        for (let i = 0; i < 400 && runs.length < N; i++) await sleep(20);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        if (other !== db) await other.close();
      }
      assert.equal(runs.length, N);
      assert.equal(new Set(runs).size, N, "no job ran twice");
      assert.ok(by.a > 0 && by.b > 0, `both queues took jobs: ${JSON.stringify(by)}`);
      assert.deepEqual(await jobsOf(db, "counted"), []);
    });
  });
}
