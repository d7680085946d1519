// Read-path benchmark (`npm run bench -- read`): the seed read actions through the whole
// gateway, each beside what it needs from the store, on PGlite and on PostgreSQL (the
// harness's givenOrNewPostgres). The server is bench/read-server.ts, a child process pinned to
// the server core; wrk drives it with pre-signed TC3 requests (bench/wrk.ts). For each action:
// - its throughput, p50/p99 and server CPU per request (the server process's /proc
//   accounting, less its idle background; on PostgreSQL also the CPU of PostgreSQL's processes);
// - the statements one request runs (recorded by the server's store hook), counted, then
//   replayed straight on the store: their raw cost, by the same accounting;
// - the gateway's Echo on the same server in the same run.
// Target (issue 22): action CPU per request <= Echo's + 1.5 x its raw query cost, judged in
// rounds (BENCH_READ_ROUNDS, below).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { createDatabase, givenOrNewPostgres, ROOT } from "../test/support/harness.ts";
import { type Benchmark, type Figure, median } from "./harness.ts";
import { type Command, type GcTotals, isSql, READ_SECRET_ID, READ_SECRET_KEY, type ReadCall, type Statement } from "./read-protocol.ts";
import { newestProfile, type ProfileWindow, summarise } from "./read-profile.ts";
import { type PacedResult, runPaced } from "./read-rate.ts";
import { answeredByCode, callOnce, signedRequests } from "./tc3-requests.ts";
import {
  cpuSeconds,
  describeLoad,
  ensureWrk,
  type LoadResult,
  pinServer,
  placement,
  runWrk,
  treeCpuSeconds,
  WRK_CONNECTIONS,
  WRK_SECONDS,
} from "./wrk.ts";

const REPLAY_SECONDS = Number(process.env.BENCH_REPLAY_SECONDS ?? 2);
// As many replays in flight as wrk keeps requests in flight.
const REPLAY_CONCURRENCY = WRK_CONNECTIONS;
const START_TIMEOUT_MS = 600_000;

interface ReadServer {
  url: string;
  pid: number;
  calls: ReadCall[];
  ask<T>(c: Command): Promise<T>;
  stop(): Promise<void>;
}

async function startReadServer(databaseUrl: string | null): Promise<ReadServer> {
  // BENCH_READ_CPU_PROF=<dir>: the server runs under --cpu-prof and leaves its profile there.
  const prof = process.env.BENCH_READ_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_READ_CPU_PROF}`] : [];
  const proc: ChildProcess = spawn(process.execPath, [...prof, join(ROOT, "bench", "read-server.ts")], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    serialization: "advanced",
    env: { ...process.env, BENCH_DATABASE_URL: databaseUrl ?? "" },
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const pending = new Map<number, (m: Record<string, unknown>) => void>();
  let nextId = 1;
  const ready = new Promise<{ url: string; calls: ReadCall[] }>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`the read server did not start in ${START_TIMEOUT_MS / 1000} s:\n${out}`));
    }, START_TIMEOUT_MS);
    proc.on("message", (m: Record<string, unknown>) => {
      if (m.ready) {
        clearTimeout(timer);
        resolve(m as never);
      } else pending.get(m.id as number)?.(m);
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the read server exited with ${code}:\n${out}`));
    });
  });
  const { url, calls } = await ready;
  pinServer(proc.pid!);
  return {
    url,
    pid: proc.pid!,
    calls,
    ask<T>(c: Command): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, (m) => {
          pending.delete(id);
          if (m.error) reject(new Error(String(m.error)));
          else resolve(m as T);
        });
        proc.send({ ...c, id });
      });
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.disconnect();
      const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The postmaster of the PostgreSQL at `url` (it runs on this machine): its process tree's CPU is PostgreSQL's. */
async function postmasterPid(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
    const stat = readFileSync(`/proc/${rows[0]!.pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } finally {
    await client.end();
  }
}

const call = (s: ReadServer, c: { service: string; version: string; action: string }) => ({
  host: new URL(s.url).host,
  secretId: READ_SECRET_ID,
  secretKey: READ_SECRET_KEY,
  ...c,
});

/** The measured runs' windows in the server's profile (BENCH_READ_CPU_PROF), summarised once it has stopped. */
const profileWindows: ProfileWindow[] = [];

/** The server's garbage collections per request (or replay) since `before`, by kind: "scavenge 12.3 µs (0.05), ...". */
async function gcSince(s: ReadServer, before: GcTotals, n: number): Promise<string> {
  const { totals } = await s.ask<{ totals: GcTotals }>({ cmd: "gc" });
  return Object.entries(totals)
    .map(([kind, t]) => [kind, t.ms - before[kind as keyof GcTotals].ms, t.count - before[kind as keyof GcTotals].count] as const)
    .filter(([, , count]) => count > 0)
    .map(([kind, ms, count]) => `${kind} ${((ms * 1000) / n).toFixed(1)} µs (${(count / n).toFixed(3)})`)
    .join(", ");
}

/** wrk on one action (warm-up, then the measured run), every answer checked OK in the server's own metrics. */
async function load(s: ReadServer, c: ReadCall, pgPid: number | undefined): Promise<LoadResult> {
  const requests = signedRequests(call(s, c), 1, () => c.params);
  await runWrk({ url: s.url, requests, seconds: 1, idleSeconds: 0 });
  const before = await answeredByCode(s.url, c.action);
  const gc0 = (await s.ask<{ totals: GcTotals }>({ cmd: "gc" })).totals;
  const from = process.hrtime.bigint() / 1000n;
  const r = await runWrk({ url: s.url, requests, serverPid: s.pid, extraPid: pgPid });
  process.stdout.write(`[read] ${c.action} GC per request: ${await gcSince(s, gc0, r.requests)}\n`);
  // With BENCH_READ_CPU_PROF: the run's window in the profile's clock (µs, monotonic), to read the profile by.
  if (process.env.BENCH_READ_CPU_PROF) {
    const to = process.hrtime.bigint() / 1000n;
    process.stdout.write(`[read] ${c.action} profile window ${from} ${to}\n`);
    profileWindows.push({ action: c.action, from: Number(from), to: Number(to), requests: r.requests });
  }
  const after = await answeredByCode(s.url, c.action);
  const ok = (after.OK ?? 0) - (before.OK ?? 0);
  const failed = Object.entries(after).filter(([code, n]) => code !== "OK" && n !== (before[code] ?? 0));
  if (failed.length > 0 || ok < r.requests)
    throw new Error(`${c.action}: ${ok} OK answers for ${r.requests} requests; others: ${JSON.stringify(failed)}`);
  return r;
}

/**
 * Waits until the server has answered what wrk left in flight (the count of answers in its
 * metrics stops moving): the next recording and idle measurement must not see them.
 */
async function settle(s: ReadServer): Promise<void> {
  const answered = async () => {
    const text = await (await fetch(`${s.url}/metrics`)).text();
    return text
      .split("\n")
      .filter((l) => l.startsWith("roomledger_api_requests_total{"))
      .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  };
  let last = await answered();
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await answered();
    if (now === last) return;
    last = now;
  }
}

/**
 * The statements one request runs, as the store hook saw them. Background work the hook
 * cannot tell by its stack (the job queue polls every 200 ms; a cache refill) can land in a
 * recording: of three recordings, always, the shortest is the request's own (a stray
 * statement once made a 3-statement action's raw cost that of 4).
 */
async function record(s: ReadServer, c: ReadCall): Promise<{ statements: Statement[]; answerBytes: number }> {
  const { answerBytes } = await callOnce(s.url, { ...call(s, c), params: c.params }); // warm
  let best: Statement[] | null = null;
  for (let i = 0; i < 3; i++) {
    await s.ask({ cmd: "record" });
    await callOnce(s.url, { ...call(s, c), params: c.params });
    const { statements } = await s.ask<{ statements: Statement[] }>({ cmd: "stop" });
    if (!best || statements.length < best.length) best = statements;
  }
  return { statements: best!, answerBytes };
}

interface Raw {
  /** Server process CPU per replay of the statements, µs. */
  nodeUs: number;
  /** PostgreSQL's processes' CPU per replay, µs (0 on PGlite). */
  pgUs: number;
}

/** Replays the statements on the store for about REPLAY_SECONDS (after a short warm-up). */
async function rawCost(s: ReadServer, action: string, statements: Statement[], pgPid: number | undefined): Promise<Raw> {
  const probe = await s.ask<{ wallMs: number }>({ cmd: "replay", statements, times: 20, concurrency: REPLAY_CONCURRENCY });
  const times = Math.max(50, Math.round((REPLAY_SECONDS * 1000) / Math.max(probe.wallMs, 0.01)));
  const pg0 = pgPid ? treeCpuSeconds(pgPid) : 0;
  const proc0 = cpuSeconds(s.pid);
  const gc0 = (await s.ask<{ totals: GcTotals }>({ cmd: "gc" })).totals;
  const from = process.hrtime.bigint() / 1000n;
  const r = await s.ask<{ cpuUs: number }>({ cmd: "replay", statements, times, concurrency: REPLAY_CONCURRENCY });
  process.stdout.write(`[read] ${action} (raw replay) GC per replay: ${await gcSince(s, gc0, times)}\n`);
  // With BENCH_READ_CPU_PROF: the replay's window too, read as the action's are.
  if (process.env.BENCH_READ_CPU_PROF)
    profileWindows.push({
      action: `${action} (raw replay)`,
      from: Number(from),
      to: Number(process.hrtime.bigint() / 1000n),
      requests: times,
    });
  const procUs = ((cpuSeconds(s.pid) - proc0) / times) * 1e6;
  const pgUs = pgPid ? ((treeCpuSeconds(pgPid) - pg0) / times) * 1e6 : 0;
  // The child's own process.cpuUsage() is the figure; /proc over the same span is a cross-check (10 ms ticks).
  if (procUs > 0 && Math.abs(procUs - r.cpuUs) > Math.max(0.5 * r.cpuUs, (0.02 / times) * 1e6)) {
    process.stdout.write(`[read] note: replay CPU ${r.cpuUs.toFixed(1)} µs (process.cpuUsage) vs ${procUs.toFixed(1)} µs (/proc)\n`);
  }
  return { nodeUs: r.cpuUs, pgUs };
}

/** "3 statements, 1 transaction". */
function shape(statements: Statement[]): string {
  const tx = statements.filter((x) => !isSql(x) && x.tx === "begin").length;
  return `${statements.filter(isSql).length} statements${tx ? `, ${tx} transaction${tx > 1 ? "s" : ""} (begin and commit not counted)` : ""}`;
}

const total = (r: LoadResult) => r.serverCpuUs! + (r.extraCpuUs ?? 0);

// BENCH_READ_ROUNDS=N (default 3): each action measured N times, in rounds (a round: every
// action's load and raw replay, then Echo again), each action's figures those of its round of
// median ratio to its budget, every round printed. On this host one action's raw replay read
// 20.8 and 29.5 µs in runs minutes apart (DescribeRoom, 30 Nov), moving its budget by 13 µs:
// one round is a sample.
const ROUNDS = Math.max(1, Math.floor(Number(process.env.BENCH_READ_ROUNDS ?? 3)));

/** The index of the median value (of an even count, the lower middle). */
const indexOfMedian = (xs: readonly number[]): number => xs.indexOf([...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!);

// The extra runs below: on PGlite by default (BENCH_READ_PACED=0 skips them); on PostgreSQL only
// with BENCH_READ_PACED=1, as they count the Node process only (PostgreSQL's CPU is not in them).
const pacedWanted = (postgres: boolean) => (postgres ? process.env.BENCH_READ_PACED === "1" : process.env.BENCH_READ_PACED !== "0");

interface Paced {
  /** The action again at full speed, for its user/system split. */
  action: PacedResult;
  /** Echo at the action's request rate. */
  echoAtRate: PacedResult;
  /** Echo at the action's rate with the action's statements replayed beside it at the same rate: CPU per pair. */
  echoWithReplay: PacedResult;
}

const split = (p: PacedResult) =>
  `${p.cpuUs.toFixed(1)} µs (user ${p.userUs.toFixed(1)} + system ${p.systemUs.toFixed(1)}) at ${Math.round(p.rps)} req/s`;

/**
 * Checks of where an action's CPU goes beyond Echo + its raw cost (the server process only;
 * on PostgreSQL, PostgreSQL's processes are not in these): the action at full speed split into
 * user and system time; Echo paced to the action's rate; and Echo paced so with the action's
 * statements replayed in the server at the same rate, interleaved with the requests as an
 * action's queries are. If the action costs what the last one does, its excess is the
 * interleaving (each part running colder after the other), not work of its own.
 */
async function pacedExtras(s: ReadServer, echo: ReadCall, c: ReadCall, r: LoadResult, statements: Statement[]): Promise<Paced> {
  const log = (line: string) => process.stdout.write(`[read]   ${c.action} extra: ${line}\n`);
  const echoRequests = signedRequests(call(s, echo), 1, () => echo.params);
  const action = await runPaced({
    url: s.url,
    requests: signedRequests(call(s, c), 1, () => c.params),
    serverPid: s.pid,
    seconds: WRK_SECONDS,
    rate: 0,
  });
  log(`the action again, full speed: ${split(action)}`);
  await settle(s);
  const echoAtRate = await runPaced({ url: s.url, requests: echoRequests, serverPid: s.pid, seconds: WRK_SECONDS, rate: r.rps });
  log(`Echo at the action's rate: ${split(echoAtRate)}`);
  await settle(s);
  const withReplay = await runPaced({
    url: s.url,
    requests: echoRequests,
    serverPid: s.pid,
    seconds: WRK_SECONDS,
    rate: r.rps,
    during: () => s.ask({ cmd: "pace", statements, rate: r.rps, seconds: WRK_SECONDS + 0.3 }),
  });
  log(`Echo at the action's rate with its statements replayed beside it at that rate: ${split(withReplay)} per Echo + replay`);
  return { action, echoAtRate, echoWithReplay: withReplay };
}

async function runOn(label: string, databaseUrl: string | null, pgPid: number | undefined): Promise<Figure[]> {
  const log = (line: string) => process.stdout.write(`[read] ${label}: ${line}\n`);
  const t0 = Date.now();
  const s = await startReadServer(databaseUrl);
  log(`server started and data written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const figures: Figure[] = [];
  try {
    const echo: ReadCall = {
      service: "roomledger",
      version: "2026-11-01",
      action: "Echo",
      params: { Message: "bench", Count: 2 },
      what: "",
    };
    await callOnce(s.url, { ...call(s, echo), params: echo.params });
    const echoLoads = [await load(s, echo, pgPid)];
    log(describeLoad("Echo", echoLoads[0]!));
    // BENCH_READ_ACTIONS=DescribeRoom,... measures those only.
    const only = process.env.BENCH_READ_ACTIONS?.split(",");
    const pacedOn = pacedWanted(pgPid !== undefined);
    const measured: {
      c: ReadCall;
      runs: { r: LoadResult; raw: Raw }[];
      statements: Statement[];
      answerBytes: number;
      paced: Paced | null;
    }[] = [];
    for (const c of s.calls.filter((x) => !only || only.includes(x.action)))
      measured.push({ c, runs: [], statements: [], answerBytes: 0, paced: null });
    for (let round = 1; round <= ROUNDS; round++) {
      const of = ROUNDS > 1 ? ` (round ${round} of ${ROUNDS})` : "";
      for (const m of measured) {
        const { c } = m;
        await settle(s);
        if (round === 1) ({ statements: m.statements, answerBytes: m.answerBytes } = await record(s, c));
        const r = await load(s, c, pgPid);
        await settle(s);
        const raw = await rawCost(s, c.action, m.statements, pgPid);
        log(
          `${describeLoad(c.action + of, r)}; ${shape(m.statements)}, raw ${raw.nodeUs.toFixed(1)} µs${pgPid ? ` + PostgreSQL ${raw.pgUs.toFixed(1)} µs` : ""}`,
        );
        m.runs.push({ r, raw });
        if (round === 1 && pacedOn) m.paced = await pacedExtras(s, echo, c, r, m.statements);
        if (round === 1 && process.env.BENCH_SHOW_SQL === "1")
          for (const st of m.statements) log(`  ${isSql(st) ? st.sql.replace(/\s+/g, " ").slice(0, 160) : st.tx}`);
      }
      await settle(s);
      const e = await load(s, echo, pgPid);
      log(describeLoad(round === ROUNDS ? "Echo (again)" : `Echo (after round ${round})`, e));
      echoLoads.push(e);
    }
    figures.push({
      name: `${label} Echo server CPU per request (median of ${echoLoads.map((e) => total(e).toFixed(1)).join(", ")})`,
      value: median(echoLoads.map(total)),
      unit: "µs",
    });
    for (const { c, runs, statements, answerBytes, paced } of measured) {
      // Each round is judged against its own Echo (the mean of the Echo runs just before and
      // after it) and its own raw replay: the host's load drifts over minutes (in one run a
      // whole round read 1.5x the others, Echo and the actions alike), and medians taken of
      // each figure alone could pair one round's action with another round's Echo. The round
      // of median ratio stands for the action: its CPU, budget, raw cost, throughput, latency.
      const judged = runs.map((x, i) => {
        const echoUs = (total(echoLoads[i]!) + total(echoLoads[i + 1]!)) / 2;
        const echoRps = (echoLoads[i]!.rps + echoLoads[i + 1]!.rps) / 2;
        const rawUs = x.raw.nodeUs + x.raw.pgUs;
        const budget = echoUs + 1.5 * rawUs;
        return { ...x, cpu: total(x.r), echoUs, echoRps, rawUs, budget, ratio: total(x.r) / budget };
      });
      const mid = judged[indexOfMedian(judged.map((j) => j.ratio))]!;
      const { r, raw, cpu, echoUs, echoRps, rawUs, budget } = mid;
      const rounds =
        runs.length > 1
          ? `; rounds (CPU / Echo / raw: ratio) ${judged.map((j) => `${j.cpu.toFixed(1)} / ${j.echoUs.toFixed(1)} / ${j.rawUs.toFixed(1)}: ${j.ratio.toFixed(2)}`).join(", ")}; the median, round ${judged.indexOf(mid) + 1}`
          : "";
      const name = `${label} ${c.action} (${c.what})`;
      const n = statements.filter(isSql).length;
      figures.push(
        { name: `${name} throughput`, value: r.rps, unit: "req/s", baseline: { name: "Echo", value: echoRps } },
        {
          name: `${name} server CPU per request${pgPid ? ` (Node ${r.serverCpuUs!.toFixed(1)} + PostgreSQL ${r.extraCpuUs!.toFixed(1)})` : ""}${rounds}`,
          value: cpu,
          unit: "µs",
          baseline: { name: `Echo + 1.5 x raw (${echoUs.toFixed(1)} + 1.5 x ${rawUs.toFixed(1)})`, value: budget },
          target: "<= baseline",
          met: cpu <= budget,
        },
        {
          name: `${name} raw cost of its ${n} statements on the store${pgPid ? ` (Node ${raw.nodeUs.toFixed(1)} + PostgreSQL ${raw.pgUs.toFixed(1)})` : ""}`,
          value: rawUs,
          unit: "µs",
        },
        { name: `${name} statements per request`, value: statements.filter(isSql).length, unit: `(${shape(statements)})` },
        { name: `${name} latency p50 / p99`, value: r.p50Ms, unit: `ms / ${r.p99Ms.toFixed(2)} ms` },
        { name: `${name} answer size`, value: answerBytes, unit: "bytes" },
      );
      // The extra, not the issue's baseline: Echo measured at this action's own request rate.
      if (paced)
        figures.push({
          name: `${name} EXTRA (not the issue's baseline): CPU per request against Echo at the action's rate (${Math.round(paced.echoAtRate.rps)} req/s) + 1.5 x raw (${paced.echoAtRate.cpuUs.toFixed(1)} + 1.5 x ${rawUs.toFixed(1)})`,
          value: cpu,
          unit: "µs",
          baseline: { name: "Echo at the action's rate + 1.5 x raw", value: paced.echoAtRate.cpuUs + 1.5 * rawUs },
        });
    }
  } finally {
    await s.stop();
  }
  const dir = process.env.BENCH_READ_CPU_PROF;
  const profile = dir ? newestProfile(dir) : null;
  if (profile) for (const line of summarise(profile, profileWindows.splice(0))) log(line);
  return figures;
}

export const readPathBench: Benchmark = {
  name: "read",
  async run(): Promise<Figure[]> {
    ensureWrk();
    process.stdout.write(
      `[read] wrk, 1 thread, ${WRK_CONNECTIONS} connections, ${WRK_SECONDS} s per action after 1 s of warm-up; ${placement()}\n`,
    );
    // BENCH_BACKENDS=pglite (or postgres) runs one of the two.
    const backends = (process.env.BENCH_BACKENDS ?? "pglite,postgres").split(",");
    const figures = backends.includes("pglite") ? await runOn("PGlite", null, undefined) : [];
    if (!backends.includes("postgres")) return figures;
    const pgServer = await givenOrNewPostgres();
    try {
      const url = await createDatabase(pgServer.url);
      figures.push(...(await runOn("PostgreSQL", url, await postmasterPid(url))));
    } finally {
      await pgServer.stop();
    }
    return figures;
  },
};
