// The read-path benchmark's extra figure (not the baseline): Echo driven at a given
// request rate instead of as fast as the server answers. An action on PGlite answers 2,000-4,000
// requests/s, Echo ~16,000; the HTTP path may cost more per request at the lower rate (the
// client asleep between answers, each write waking it; the server's caches cold). wrk paces
// itself with a Lua `delay()` (whole milliseconds): each connection waits DELAY_MS after an
// answer before its next request, so the rate is set by the number of connections.
// The server's CPU is split into user and system time (/proc), beside the per-request total.
import { runWrk } from "./wrk.ts";

const DELAY_MS = 10;

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
  const paced = o.rate > 0;
  const r = await runWrk({
    url: o.url,
    requests: o.requests,
    serverPid: o.serverPid,
    seconds: o.seconds,
    connections: paced ? Math.max(1, Math.round((o.rate * (DELAY_MS + (o.latencyMs ?? 0.2))) / 1000)) : 32,
    delayMs: paced ? DELAY_MS : 0,
    // No background subtracted: the total is user + system over the run, as they are.
    idleSeconds: 0,
    during: o.during,
  });
  return {
    rps: r.rps,
    requests: r.requests,
    cpuUs: r.serverUserUs! + r.serverSystemUs!,
    userUs: r.serverUserUs!,
    systemUs: r.serverSystemUs!,
  };
}
