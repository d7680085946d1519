// The read-path benchmark's server process (bench/read-path.ts starts it with an IPC channel):
// roomledger started in this process as `serve --dev --rate-limit 0` would start it (on PGlite,
// or on BENCH_DATABASE_URL), the data each measured action reads, and a bench-only hook on
// the store: every statement the server runs is counted, the statements of one request can be
// recorded, and recorded statements replayed straight on the store (the raw cost of what an
// action needs, measured by this process's own accounting, process.cpuUsage()).
import http from "node:http";
import { constants, PerformanceObserver } from "node:perf_hooks";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import type { Db, QueryResult, Queryable } from "../src/storage/db.ts";
import { AgentClient } from "../src/agent/client.ts";
import { saveAppSettings, DEFAULT_SETTINGS } from "../src/products/gme/settings-store.ts";
import { refreshStatistics } from "../src/products/lcic/statistics/statistics-job.ts";
import { rebuildDays } from "../src/products/trro/rollup-store.ts";
import { tokenHash } from "../src/products/trro/device-store.ts";
import { startInProcess } from "../test/support/harness.ts";
import { bulkEvents } from "./lcic.ts";
import { type Command, type GcTotals, isSql, READ_SECRET_ID, READ_SECRET_KEY, type ReadCall, type Statement } from "./read-protocol.ts";

const STAT_MEMBERS = 1000;
const EVENTS_PER_MEMBER = 10;
const GME_SPEAKERS = 20;
const TRRO_SESSIONS = 2000;

const send = (m: unknown) => process.send!(m);

// Every garbage collection of this process, by kind: the bench reads the totals around each
// run (a scavenge's cost grows with what survives it; a mark-compact's with the old heap).
const gc: GcTotals = {
  scavenge: { count: 0, ms: 0 },
  "mark-compact": { count: 0, ms: 0 },
  "incremental marking": { count: 0, ms: 0 },
  "weak callbacks": { count: 0, ms: 0 },
};
const GC_KINDS: Record<number, keyof GcTotals> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "scavenge",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "mark-compact",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental marking",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak callbacks",
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = GC_KINDS[(e as unknown as { detail: { kind: number } }).detail.kind];
    if (kind) {
      gc[kind].count++;
      gc[kind].ms += e.duration;
    }
  }
}).observe({ entryTypes: ["gc"] });

// The hook: every statement through the store's query (and inside transactions) is kept while
// recording, except the server's background work (the job queue's polls, the lease sweeps),
// told by the stack that issued it. The products and the tenancy hold this same Db object.
let recording: Statement[] | null = null;
const BACKGROUND = /src\/jobs\/|sweepExpiredLeases|vacuumDue/;
const keep = (s: Statement) => {
  if (recording && !BACKGROUND.test(new Error().stack ?? "")) recording.push(s);
};
function hook(db: Db): Pick<Db, "query" | "transaction"> {
  const raw = { query: db.query.bind(db), exec: db.exec.bind(db), transaction: db.transaction.bind(db) };
  const counted = (q: Queryable): Queryable => ({
    query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      keep({ sql, params });
      return q.query<R>(sql, params);
    },
    exec(sql: string) {
      keep({ sql, params: undefined });
      return q.exec(sql);
    },
  });
  const c = counted(raw);
  Object.assign(db, {
    query: c.query,
    exec: c.exec,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => {
      keep({ tx: "begin" });
      return raw.transaction((tx) => fn(counted(tx))).finally(() => keep({ tx: "commit" }));
    },
  });
  return raw;
}

const started = await startInProcess({
  dirPrefix: "roomledger-bench-read-",
  databaseUrl: process.env.BENCH_DATABASE_URL || null,
  flags: { "rate-limit": "0", "log-level": "warn" },
  env: { ROOMLEDGER_SECRET_ID: READ_SECRET_ID, ROOMLEDGER_SECRET_KEY: READ_SECRET_KEY, ROOMLEDGER_AGENT_LEASE_MS: "3600000" },
});
const server = started.server;
const { platform } = server;
const db = platform.db;
const raw = hook(db);
const account = (await platform.tenancy.accounts())[0]!;
const agent = new http.Agent({ keepAlive: true });
const config = {
  credential: { secretId: READ_SECRET_ID, secretKey: READ_SECRET_KEY },
  profile: { httpProfile: { endpoint: new URL(server.url).host, protocol: "http://", reqTimeout: 120, agent } },
} as never;

async function lcic(): Promise<ReadCall[]> {
  const app = await platform.tenancy.createApp(account.accountId, ["lcic"], "bench-read", db);
  const client = new tencentcloud.lcic.v20220817.Client(config);
  const nowS = Math.floor(platform.clock.now() / 1000);
  const room = async () =>
    (
      await client.CreateRoom({
        SdkAppId: Number(app.appId),
        Name: "bench",
        StartTime: nowS + 60,
        EndTime: nowS + 72 * 3600,
        Resolution: 1,
        MaxMicNumber: 6,
        SubType: "video",
      })
    ).RoomId!;
  const open = await room();
  const ended = await room();
  const res = await client.BatchRegister({
    Users: Array.from({ length: STAT_MEMBERS }, (_, i) => ({ SdkAppId: Number(app.appId), OriginId: `u${i}`, Name: `Member ${i}` })),
  });
  const users = res.Users!.map((u) => u.UserId!);
  await client.StartRoom({ RoomId: ended });
  await bulkEvents(server, app.appId, ended, platform.clock.now(), users, STAT_MEMBERS * EVENTS_PER_MEMBER, false);
  platform.clock.advance(EVENTS_PER_MEMBER * 30_000 + 60_000);
  await client.EndRoom({ RoomId: ended });
  platform.clock.advance(60_000);
  await platform.jobs.drain();
  await refreshStatistics(db, ended, () => platform.clock.now());
  const lcic = { service: "lcic", version: "2022-08-17" };
  return [
    { ...lcic, action: "DescribeRoom", params: { RoomId: open }, what: "a room" },
    {
      ...lcic,
      action: "DescribeRoomStatistics",
      params: { RoomId: ended, Page: 1, Limit: 1000 },
      what: `a 1000-record page (${STAT_MEMBERS} members, ${STAT_MEMBERS * EVENTS_PER_MEMBER} events)`,
    },
  ];
}

async function tiw(): Promise<ReadCall> {
  const app = await platform.tenancy.createApp(account.accountId, ["tiw"], "bench-read", db);
  const client = new tencentcloud.tiw.v20190919.Client(config);
  const { TaskId } = await client.StartWhiteboardPush({
    SdkAppId: Number(app.appId),
    RoomId: 1000,
    PushUserId: "bench_push",
    PushUserSig: "sig",
  });
  const { credential } = await platform.tenancy.workers.create(app.appId, ["tiw-push"], "bench");
  const worker = new AgentClient({ baseUrl: server.url, credential, workerId: "bench-worker" });
  const { task } = await worker.claim("tiw-push");
  if (!task) throw new Error("no push task to claim");
  await worker.report(task.taskId, [{ type: "started", data: { imSyncTime: 1 } }]);
  return {
    service: "tiw",
    version: "2019-09-19",
    action: "DescribeWhiteboardPush",
    params: { SdkAppId: Number(app.appId), TaskId },
    what: "a running push",
  };
}

async function gme(): Promise<ReadCall> {
  const app = await platform.tenancy.createApp(account.accountId, ["gme"], "bench-read", db);
  await saveAppSettings(db, app.appId, { ...DEFAULT_SETTINGS, recordingOpened: true }, platform.clock.now());
  const { key } = await platform.tenancy.createIngestKey(app.appId);
  const t0 = platform.clock.now();
  const events = Array.from({ length: GME_SPEAKERS }, (_, i) => [
    { id: `e${i}`, type: "gme.user.entered", ctime: t0 + i, data: { roomId: "arena", userId: `u${10000 + i}` } },
    { id: `a${i}`, type: "gme.audio.started", ctime: t0 + i, data: { roomId: "arena", userId: `u${10000 + i}` } },
  ]).flat();
  const posted = await fetch(`${server.url}/ingest/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
  });
  if (!posted.ok) throw new Error(`ingest: ${posted.status} ${await posted.text()}`);
  const client = new tencentcloud.gme.v20180711.Client(config);
  const BizId = Number(app.appId);
  const { TaskId } = await client.StartRecord({ BizId, RoomId: "arena", RecordMode: 3 });
  const { credential } = await platform.tenancy.workers.create(app.appId, ["gme-record"], "bench");
  const recorder = new AgentClient({ baseUrl: server.url, credential, workerId: "bench-recorder" });
  await recorder.claim("gme-record");
  const view = (await (
    await fetch(`${server.url}/gme/v1/record-tasks/${TaskId}`, { headers: { authorization: `Bearer ${key}` } })
  ).json()) as {
    toBegin: string[];
  };
  await recorder.report(
    String(TaskId),
    view.toBegin.map((userId) => ({ type: "stream.began", data: { userId } })),
  );
  return {
    service: "gme",
    version: "2018-07-11",
    action: "DescribeRecordInfo",
    params: { BizId, TaskId },
    what: `a mode-3 recording of ${GME_SPEAKERS} speakers (${GME_SPEAKERS + 1} entries)`,
  };
}

async function trro(): Promise<ReadCall> {
  const client = new tencentcloud.trro.v20220325.Client(config);
  const { ProjectId } = await client.CreateProject({ ProjectName: "bench-read" });
  const projectId = ProjectId!;
  const now = platform.clock.now();
  // Two devices (as bench/trro.ts numbers them) and their sessions over the last 7 days.
  await db.query(
    `insert into trro_devices (app_id, device_id, name, device_type, token_hash, modify_time, online, last_report_time, last_seen, device_no)
     values ($1, 'f00000', 'f0', 'field', $2, $3, false, $3, $3, 1), ($1, 'r00000', 'r0', 'remote', $2, $3, false, $3, $3, 2)`,
    [projectId, tokenHash("Bench00000000000"), now],
  );
  await db.query("update trro_projects set device_seq = 2 where app_id = $1", [projectId]);
  await db.query(
    `insert into trro_sessions (app_id, session_id, field_device_id, remote_device_id, field_no, remote_no, resolution,
       start_time, end_time, field_last, remote_last, field_seen, remote_seen, last_report_time, samples, poor_samples, bad_samples, quality)
     select $1, $1 || '-b' || i, 'f00000', 'r00000', 1, 2, '1920*1080', st, st + 60000, st + 60000, st + 60000, st + 60000, st + 60000,
            st + 60000, 60, 0, 0, 'good'
     from (select i, $2::bigint - i::bigint * 300000 as st from generate_series(1, $3::int) i) x`,
    [projectId, now, TRRO_SESSIONS],
  );
  await db.query("update trro_projects set max_duration_ms = 60000 where app_id = $1", [projectId]);
  await rebuildDays(db, projectId);
  const nowS = Math.floor(now / 1000);
  return {
    service: "trro",
    version: "2022-03-25",
    action: "DescribeDeviceSessionList",
    params: { ProjectId: projectId, DeviceId: "f00000", PageNumber: 1, PageSize: 10, StartTime: nowS - 7 * 86400, EndTime: nowS },
    what: `a device's first page of 10 in 7 days (${TRRO_SESSIONS} sessions)`,
  };
}

/** Runs recorded statements on the store as they ran: a transaction's inside one transaction. */
async function run(statements: Statement[]): Promise<void> {
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    if (isSql(s)) await raw.query(s.sql, s.params);
    else if (s.tx === "begin") {
      const end = statements.findIndex((x, j) => j > i && !isSql(x) && x.tx === "commit");
      const inside = statements.slice(i + 1, end).filter(isSql);
      await raw.transaction(async (tx) => {
        for (const x of inside) await tx.query(x.sql, x.params);
      });
      i = end;
    }
  }
}

async function replay(statements: Statement[], times: number, concurrency: number): Promise<{ cpuUs: number; wallMs: number }> {
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < times) await run(statements);
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / times, wallMs: (performance.now() - t0) / times };
}

/**
 * Runs the statements `rate` times a second for `seconds`, each run started on time whatever
 * the others are doing (as requests arrive): the raw replay at an action's own request rate,
 * beside Echo paced the same (read-rate.ts).
 */
async function pace(statements: Statement[], rate: number, seconds: number): Promise<{ runs: number }> {
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  let started = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate) - started;
    for (let i = 0; i < due; i++, started++) {
      const p: Promise<void> = run(statements).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  return { runs: started };
}

process.on("message", (m: Command & { id: number }) => {
  void (async () => {
    try {
      if (m.cmd === "record") {
        recording = [];
        send({ id: m.id });
      } else if (m.cmd === "stop") {
        const got = recording ?? [];
        recording = null;
        send({ id: m.id, statements: got });
      } else if (m.cmd === "gc") send({ id: m.id, totals: gc });
      else if (m.cmd === "pace") send({ id: m.id, ...(await pace(m.statements, m.rate, m.seconds)) });
      else send({ id: m.id, ...(await replay(m.statements, m.times, m.concurrency)) });
    } catch (err) {
      send({ id: m.id, error: String((err as Error).stack ?? err) });
    }
  })();
});
process.on("disconnect", () => void started.stop().then(() => process.exit(0)));

const calls = [...(await lcic()), await tiw(), await gme(), await trro()];
send({ ready: true, url: server.url, calls });
