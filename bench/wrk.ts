// The HTTP load generator of the benchmarks: wrk (a C client, Debian's `wrk` package), pinned
// to its own core, driving a server process pinned to the other one. Beside the throughput it
// reports what the server process itself spent (utime + stime from /proc/<pid>/stat, which
// covers all its threads, over the measured run only) per request, the client's own CPU per
// request (so a client-bound figure shows as such) and wrk's p50/p99 latency.
//
// The requests are pre-formatted bytes (signed once per run: the TC3 timestamp stays inside
// the gateway's 5-minute window for a run of seconds), cycled by a Lua `request()` so that
// every target gets exactly the same bytes.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

export const WRK_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
export const WRK_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

/** The cores: the client on the first, servers on the second (taskset), when there are two. */
const CLIENT_CORE = 0;
const SERVER_CORE = cpus().length > 1 ? 1 : 0;

let wrkChecked: string | null = null;

/**
 * wrk's path. Missing: installed with apt-get when this process is root (Debian's package),
 * otherwise the benchmark stops and says how; a Node client would be the bottleneck again.
 */
export function ensureWrk(): string {
  if (wrkChecked) return wrkChecked;
  const which = () => spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" }).stdout.trim();
  let path = which();
  if (!path && process.getuid?.() === 0 && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0) {
    process.stdout.write("[bench] wrk missing: apt-get install -y wrk\n");
    spawnSync("apt-get", ["install", "-y", "wrk"], { stdio: "ignore" });
    path = which();
  }
  if (!path) {
    throw new Error(
      "the HTTP benchmarks need wrk (a C load generator): `sudo apt-get install -y wrk` on Debian/Ubuntu, `brew install wrk` on macOS",
    );
  }
  wrkChecked = path;
  return path;
}

const hasTaskset = spawnSync("sh", ["-c", "command -v taskset"]).status === 0;

/** Pins every thread of `pid` to the server core (no-op without taskset). */
export function pinServer(pid: number): void {
  if (hasTaskset) spawnSync("taskset", ["-a", "-p", "-c", String(SERVER_CORE), String(pid)], { stdio: "ignore" });
}

export function placement(): string {
  return hasTaskset
    ? `wrk on core ${CLIENT_CORE}, server on core ${SERVER_CORE} (taskset)`
    : "no taskset: client and server share the cores";
}

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** A process's fields after its command (which may hold spaces): state is field 3, utime 14, stime 15, cutime 16, cstime 17. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc. */
export function cpuSeconds(pid: number, withReapedChildren = false): number {
  const f = statFields(pid);
  const own = Number(f[11]) + Number(f[12]);
  return (withReapedChildren ? own + Number(f[13]) + Number(f[14]) : own) / TICKS;
}

/** User and system CPU seconds (all threads) a process has used so far, from /proc. */
function cpuSplit(pid: number): { user: number; system: number } {
  const f = statFields(pid);
  return { user: Number(f[11]) / TICKS, system: Number(f[12]) / TICKS };
}

/**
 * A process's minor page faults and read/write system calls so far (/proc/<pid>/stat's minflt,
 * /proc/<pid>/io's syscr and syscw): counts, so a noisy host does not blur them as it does CPU time.
 */
function counters(pid: number): { faults: number; reads: number; writes: number } {
  const io = readFileSync(`/proc/${pid}/io`, "utf8");
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, "m").exec(io)?.[1] ?? 0);
  return { faults: Number(statFields(pid)[7]), reads: field("syscr"), writes: field("syscw") };
}

/** CPU seconds of a process and all its descendants alive now (PostgreSQL: the postmaster and its backends). */
export function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  const visit = (pid: number) => {
    try {
      total += cpuSeconds(pid, true);
    } catch {
      return;
    }
    for (const [child, p] of parent) if (p === pid) visit(child);
  };
  visit(root);
  return total;
}

export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The bytes of one HTTP/1.1 keep-alive request. */
export function formatRequest(r: RawRequest): string {
  const lines = [`${r.method} ${r.path} HTTP/1.1`];
  for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
  lines.push(`Content-Length: ${Buffer.byteLength(r.body)}`, "", r.body);
  return lines.join("\r\n");
}

const lua = (s: string): string =>
  `"${[...Buffer.from(s, "utf8")].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${String(b).padStart(3, "0")}`)).join("")}"`;

function script(requests: string[], delayMs: number): string {
  return `local reqs = {\n${requests.map(lua).join(",\n")}\n}
local i = 0
request = function()
  i = i % #reqs + 1
  return reqs[i]
end
${delayMs > 0 ? `delay = function() return ${delayMs} end` : ""}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"socket_errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
`;
}

export interface LoadResult {
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  /** The server's user and system CPU per request over the run, µs, background included (null: no server pid given). */
  serverUserUs: number | null;
  serverSystemUs: number | null;
  /**
   * Server CPU per request over the measured run, µs, less the server's background (what it
   * spends idle: job polls, lease sweeps), measured just before (null: no server pid given).
   */
  serverCpuUs: number | null;
  /** The background subtracted above, µs per request of this run. */
  backgroundUs: number | null;
  /** The server's CPU utilisation over the run (1 = one core busy). */
  serverBusy: number | null;
  /** wrk's own CPU per request, µs, and its utilisation. */
  clientCpuUs: number;
  clientBusy: number;
  /** Other processes counted with the server (PostgreSQL's), µs per request. */
  extraCpuUs: number | null;
  /** The server's minor page faults, read and write system calls per request over the run (null: no server pid given). */
  serverCounts: { faults: number; reads: number; writes: number } | null;
}

export interface LoadOptions {
  url: string;
  /** Pre-formatted requests, cycled. */
  requests: string[];
  /** The server process whose CPU is counted. */
  serverPid?: number;
  /** Another process tree counted beside the server (PostgreSQL's postmaster). */
  extraPid?: number;
  seconds?: number;
  connections?: number;
  /** Seconds of idle before the run over which the server's background CPU is measured (default 1.5; 0: none). */
  idleSeconds?: number;
  /** Each connection waits this long after an answer before its next request (wrk's Lua `delay()`, whole ms; default 0). */
  delayMs?: number;
  /** Work started just before wrk and awaited after the server's CPU is read (read-rate.ts: statements replayed beside it). */
  during?: () => Promise<unknown>;
}

/** Per server pid, its lowest background CPU rate measured idle (CPU seconds per second). */
const quietest = new Map<number, number>();

/** One wrk run (1 thread, on the client core): throughput, latency, server and client CPU per request. */
export async function runWrk(opts: LoadOptions): Promise<LoadResult> {
  const wrk = ensureWrk();
  const dir = mkdtempSync(join(tmpdir(), "roomledger-wrk-"));
  try {
    const file = join(dir, "requests.lua");
    writeFileSync(file, script(opts.requests, opts.delayMs ?? 0));
    const seconds = opts.seconds ?? WRK_SECONDS;
    const args = ["-t1", `-c${opts.connections ?? WRK_CONNECTIONS}`, `-d${seconds}s`, "--timeout", "10s", "-s", file, opts.url];
    const [cmd, argv] = hasTaskset ? ["taskset", ["-c", String(CLIENT_CORE), wrk, ...args]] : [wrk, args];
    const idle = opts.serverPid ? (opts.idleSeconds ?? 1.5) : 0;
    const idleStart = opts.serverPid ? cpuSeconds(opts.serverPid) : 0;
    if (idle > 0) await new Promise((r) => setTimeout(r, idle * 1000));
    const serverBefore = opts.serverPid ? cpuSeconds(opts.serverPid) : 0;
    // The lowest idle rate this server showed so far: an idle window just after a heavy run
    // still holds its tail (GC, a late job poll), which is not background. Subtracting the
    // lowest charges the actions more, never less.
    let backgroundRate = idle > 0 ? (serverBefore - idleStart) / idle : 0;
    if (idle > 0 && opts.serverPid) {
      backgroundRate = Math.min(backgroundRate, quietest.get(opts.serverPid) ?? backgroundRate);
      quietest.set(opts.serverPid, backgroundRate);
    }
    const extraBefore = opts.extraPid ? treeCpuSeconds(opts.extraPid) : 0;
    const splitBefore = opts.serverPid ? cpuSplit(opts.serverPid) : null;
    const countsBefore = opts.serverPid ? counters(opts.serverPid) : null;
    const during = opts.during?.();
    const started = performance.now();
    const proc = spawn(cmd, argv as string[], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (out += d));
    // wrk's own CPU, read just before it exits (it is not our child's rusage until reaped).
    let clientCpu = 0;
    const sampler = setInterval(() => {
      try {
        clientCpu = cpuSeconds(proc.pid!);
      } catch {
        // exiting
      }
    }, 100);
    const code = await new Promise<number | null>((r) => proc.once("exit", (c) => r(c)));
    clearInterval(sampler);
    const wall = (performance.now() - started) / 1000;
    const serverAfter = opts.serverPid ? cpuSeconds(opts.serverPid) : 0;
    const splitAfter = opts.serverPid ? cpuSplit(opts.serverPid) : null;
    const countsAfter = opts.serverPid ? counters(opts.serverPid) : null;
    const extraAfter = opts.extraPid ? treeCpuSeconds(opts.extraPid) : 0;
    await during;
    const m = /WRKJSON (\{.*\})/.exec(out);
    if (code !== 0 || !m) throw new Error(`wrk failed (${code}):\n${out}`);
    const r = JSON.parse(m[1]!) as {
      requests: number;
      duration_us: number;
      socket_errors: number;
      non2xx: number;
      p50_us: number;
      p99_us: number;
    };
    if (r.socket_errors > 0 || r.non2xx > 0) throw new Error(`wrk: ${r.socket_errors} socket errors, ${r.non2xx} non-2xx answers:\n${out}`);
    const perReq = (s: number) => (s / r.requests) * 1e6;
    return {
      rps: r.requests / (r.duration_us / 1e6),
      requests: r.requests,
      p50Ms: r.p50_us / 1000,
      p99Ms: r.p99_us / 1000,
      serverUserUs: splitBefore && splitAfter ? perReq(splitAfter.user - splitBefore.user) : null,
      serverSystemUs: splitBefore && splitAfter ? perReq(splitAfter.system - splitBefore.system) : null,
      serverCpuUs: opts.serverPid ? perReq(serverAfter - serverBefore - backgroundRate * wall) : null,
      backgroundUs: opts.serverPid ? perReq(backgroundRate * wall) : null,
      serverBusy: opts.serverPid ? (serverAfter - serverBefore) / wall : null,
      clientCpuUs: perReq(clientCpu),
      clientBusy: clientCpu / wall,
      extraCpuUs: opts.extraPid ? perReq(extraAfter - extraBefore) : null,
      serverCounts:
        countsBefore && countsAfter
          ? {
              faults: (countsAfter.faults - countsBefore.faults) / r.requests,
              reads: (countsAfter.reads - countsBefore.reads) / r.requests,
              writes: (countsAfter.writes - countsBefore.writes) / r.requests,
            }
          : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A one-line description of a run, for the progress output. */
export function describeLoad(label: string, r: LoadResult): string {
  const server =
    r.serverCpuUs === null
      ? ""
      : `, server ${r.serverCpuUs.toFixed(1)} µs CPU/req (${Math.round(r.serverBusy! * 100)}% of a core; background ${r.backgroundUs!.toFixed(1)} µs/req not counted)`;
  const extra = r.extraCpuUs === null ? "" : ` + PostgreSQL ${r.extraCpuUs.toFixed(1)} µs`;
  const c = r.serverCounts;
  const counts = c ? `, ${c.faults.toFixed(1)} page faults, ${c.reads.toFixed(2)} reads, ${c.writes.toFixed(2)} writes per request` : "";
  return (
    `${label}: ${Math.round(r.rps).toLocaleString("en-US")} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms${server}${extra}${counts}; ` +
    `client ${r.clientCpuUs.toFixed(1)} µs CPU/req (${Math.round(r.clientBusy * 100)}% of a core)`
  );
}
