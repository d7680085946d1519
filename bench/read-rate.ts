// The read-path benchmark's extra figure (not the issue's baseline): Echo driven at a given
// request rate instead of as fast as the server answers. An action on PGlite answers 2,000-4,000
// requests/s, Echo ~16,000; the HTTP path may cost more per request at the lower rate (the
// client asleep between answers, each write waking it; the server's caches cold). wrk paces
// itself with a Lua `delay()` (whole milliseconds): each connection waits DELAY_MS after an
// answer before its next request, so the rate is set by the number of connections.
// The server's CPU is split into user and system time (/proc), beside the per-request total.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { ensureWrk } from "./wrk.ts";

const DELAY_MS = 10;
const CLIENT_CORE = 0;

const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** user and system CPU seconds of a process (all threads), from /proc/<pid>/stat. */
export function cpuSplit(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(f[11]) / TICKS, system: Number(f[12]) / TICKS };
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
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"errors":%d}\\n', summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status))
end
`;
}

export interface PacedResult {
  rps: number;
  requests: number;
  /** Server CPU per request, µs: total, user, system. */
  cpuUs: number;
  userUs: number;
  systemUs: number;
}

/**
 * wrk at about `rate` requests/s (connections = rate x (delay + the answer's latency)), or
 * as fast as it goes when `rate` is 0 (32 connections, no delay). `during` runs beside it
 * (started just before wrk) and is awaited after.
 */
export async function runPaced(o: {
  url: string;
  requests: string[];
  serverPid: number;
  seconds: number;
  rate: number;
  latencyMs?: number;
  during?: () => Promise<unknown>;
}): Promise<PacedResult> {
  const wrk = ensureWrk();
  const dir = mkdtempSync(join(tmpdir(), "roomledger-wrk-rate-"));
  try {
    const file = join(dir, "paced.lua");
    const delay = o.rate > 0 ? DELAY_MS : 0;
    writeFileSync(file, script(o.requests, delay));
    const connections = o.rate > 0 ? Math.max(1, Math.round((o.rate * (DELAY_MS + (o.latencyMs ?? 0.2))) / 1000)) : 32;
    const args = ["-t1", `-c${connections}`, `-d${o.seconds}s`, "--timeout", "10s", "-s", file, o.url];
    const pinned = cpus().length > 1;
    const during = o.during?.();
    const before = cpuSplit(o.serverPid);
    const proc = spawn(pinned ? "taskset" : wrk, pinned ? ["-c", String(CLIENT_CORE), wrk, ...args] : args, {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout.on("data", (d) => (out += d));
    proc.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((r) => proc.once("exit", (c) => r(c)));
    const after = cpuSplit(o.serverPid);
    await during;
    const m = /WRKJSON (\{.*\})/.exec(out);
    if (code !== 0 || !m) throw new Error(`wrk failed (${code}):\n${out}`);
    const r = JSON.parse(m[1]!) as { requests: number; duration_us: number; errors: number };
    if (r.errors > 0) throw new Error(`wrk: ${r.errors} errors or non-2xx answers:\n${out}`);
    const per = (s: number) => (s / r.requests) * 1e6;
    return {
      rps: r.requests / (r.duration_us / 1e6),
      requests: r.requests,
      cpuUs: per(after.user - before.user + after.system - before.system),
      userUs: per(after.user - before.user),
      systemUs: per(after.system - before.system),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
