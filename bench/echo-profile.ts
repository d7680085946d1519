// Where the gateway's CPU per request goes (`npm run bench -- echo-profile`): a `roomledger
// serve` process under `node --cpu-prof`, loaded with signed Echo requests by wrk, then its
// profile summarised per request: inclusive time of the gateway's steps (signature,
// validation, rate limit, metrics, envelope, logging, request id) and self time by layer
// (Fastify, Node's HTTP, the gateway, GC). The profiler itself slows the process: the shares
// matter, and the µs are scaled to the CPU per request measured in the same run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark, Figure } from "./harness.ts";
import { echoRequests, loadEcho, spawnGateway, spawnScript, type Target } from "./gateway.ts";
import type { Profile, ProfileNode } from "./read-profile.ts";
import { describeLoad, type LoadResult, runWrk, WRK_SECONDS } from "./wrk.ts";

/** The gateway's steps: a sample counts for a step when one of its frames matches. */
const STEPS: [string, (fn: string, url: string) => boolean][] = [
  ["gateway serve (request id, body read started; node:http's request)", (fn, url) => url.endsWith("tencent/gateway.ts") && fn === "serve"],
  ["gateway answer (inclusive: authenticate to the envelope's body)", (fn, url) => url.endsWith("tencent/gateway.ts") && fn === "answer"],
  ["authenticate (TC3 parse, key lookup, signature, JSON body)", (fn, url) => url.endsWith("tencent/gateway.ts") && fn === "authenticate"],
  ["TC3 signature (tc3Signature)", (fn) => fn === "tc3Signature"],
  ["request body JSON.parse (parseJson)", (fn) => fn === "parseJson"],
  ["validation (validateRequest)", (fn) => fn === "validateRequest"],
  ["rate limit (off here: one check, no limiter call)", (_fn, url) => url.endsWith("tencent/rate-limit.ts")],
  ["action handler (Echo)", (_fn, url) => url.endsWith("diagnostics/echo.ts")],
  ["envelope body (resultBody / errorBody)", (fn) => fn === "resultBody" || fn === "errorBody"],
  ["envelope write (sendEnvelope: writeHead, end, the socket write)", (fn) => fn === "sendEnvelope"],
  ["metrics (observe, prom-client)", (_fn, url) => url.endsWith("observability/metrics.ts") || url.includes("/prom-client/")],
  ["logging (pino)", (_fn, url) => url.includes("/pino/") || url.includes("/pino-std-serializers/")],
  ["request id (randomUUID)", (fn) => fn === "randomUUID"],
  ["raw body reader (read-body.ts)", (_fn, url) => url.endsWith("native/read-body.ts")],
  ["body-idle decision (listener-timeouts.ts)", (_fn, url) => url.endsWith("protocols/listener-timeouts.ts")],
  ["request start for the header-overflow envelope (framework-errors.ts)", (_fn, url) => url.endsWith("protocols/framework-errors.ts")],
  ["Fastify (any frame)", (_fn, url) => url.includes("/node_modules/fastify/") || url.includes("/find-my-way/")],
];

function layer(fn: string, url: string): string {
  if (fn === "(garbage collector)") return "GC";
  if (fn === "(idle)") return "idle";
  if (fn === "(program)" || fn === "(root)") return "(program: native, unattributed)";
  if (
    url.includes("/node_modules/fastify/") ||
    url.includes("/node_modules/@fastify/") ||
    url.includes("/find-my-way/") ||
    url.includes("/avvio/")
  )
    return "Fastify";
  if (url.includes("/node_modules/")) return `dependency ${url.split("/node_modules/").pop()!.split("/")[0]}`;
  if (url.startsWith("node:"))
    return url.startsWith("node:internal/crypto") || url === "node:crypto" ? "node:crypto" : "Node's HTTP, streams, timers";
  if (url.includes("/src/protocols/tencent/")) return "gateway (src/protocols/tencent)";
  if (url.includes("/src/")) return `src ${url.split("/src/").pop()}`;
  return url === "" ? `native ${fn}` : url;
}

/** Summarises the samples taken between `from` and `to` (µs of the monotonic clock both processes share). */
export function summarise(
  profile: Profile,
  from: number,
  to: number,
): { steps: Map<string, number>; layers: Map<string, number>; functions: Map<string, number>; busy: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const steps = new Map<string, number>(STEPS.map(([name]) => [name, 0]));
  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) return;
    const leaf = byId.get(id)!;
    const l = layer(leaf.callFrame.functionName, leaf.callFrame.url);
    if (l === "idle") return;
    busy += dt;
    layers.set(l, (layers.get(l) ?? 0) + dt);
    const f = `${leaf.callFrame.functionName || "(anonymous)"} ${leaf.callFrame.url.split("/").slice(-2).join("/")}`;
    functions.set(f, (functions.get(f) ?? 0) + dt);
    const hit = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = byId.get(parent.get(n.id) ?? -1)) {
      for (const [name, match] of STEPS) if (match(n.callFrame.functionName, n.callFrame.url)) hit.add(name);
    }
    for (const name of hit) steps.set(name, steps.get(name)! + dt);
  });
  return { steps, layers, functions, busy };
}

interface Profiled {
  cpuUs: number;
  requests: number;
  summary: ReturnType<typeof summarise>;
}

/** Profiles a target under load (after a warm-up), over the measured run's window only. */
async function profile(
  start: (flags: string[]) => Promise<Target>,
  load: (t: Target, seconds: number) => Promise<LoadResult>,
): Promise<Profiled> {
  const dir = mkdtempSync(join(tmpdir(), "roomledger-prof-"));
  try {
    const target = await start(["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    let r: LoadResult;
    // The load's window: the profile also covers the start-up (PGlite's, mostly), which is not per request.
    let from = 0;
    let to = 0;
    try {
      await load(target, 2); // warm-up
      from = Number(process.hrtime.bigint() / 1000n);
      r = await load(target, WRK_SECONDS);
      to = Number(process.hrtime.bigint() / 1000n);
      process.stdout.write(`[echo-profile] ${describeLoad(`${target.label} under --cpu-prof`, r)}\n`);
    } finally {
      await target.stop();
    }
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error(`${target.label}: no CPU profile was written`);
    const summary = summarise(JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile, from, to);
    // The window must hold about what /proc says the process spent (the clocks are the same monotonic one).
    const spentUs = r.serverCpuUs! * r.requests;
    if (summary.busy < 0.3 * spentUs) {
      throw new Error(
        `the profile's window holds ${Math.round(summary.busy / 1000)} ms busy, the process spent ${Math.round(spentUs / 1000)} ms: clocks not aligned?`,
      );
    }
    return { cpuUs: r.serverCpuUs!, requests: r.requests, summary };
  } finally {
    // BENCH_KEEP_PROFILES=1 leaves the .cpuprofile files (for Chrome's DevTools) and says where.
    if (process.env.BENCH_KEEP_PROFILES === "1") process.stdout.write(`[echo-profile] profile kept in ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

export const echoProfileBench: Benchmark = {
  name: "echo-profile",
  async run(): Promise<Figure[]> {
    const echo = await profile(spawnGateway, (t, seconds) => loadEcho(t, seconds, 0));
    const fastify = await profile(
      (flags) => spawnScript("plain Fastify", "fastify-server.ts", flags),
      (t, seconds) => runWrk({ url: t.url, requests: echoRequests(t.url), serverPid: t.pid, seconds, idleSeconds: 0 }),
    );
    // µs per request of main-thread time the profiler saw (kernel time shows in the native
    // function that made the system call: writev, read).
    const us = (p: Profiled, t: number) => t / p.requests;
    const figures: Figure[] = [
      {
        name: "Echo server CPU per request under the profiler (/proc)",
        value: echo.cpuUs,
        unit: "µs",
        baseline: { name: "plain Fastify", value: fastify.cpuUs },
      },
      {
        name: "Echo main-thread time per request in the profile",
        value: us(echo, echo.summary.busy),
        unit: "µs",
        baseline: { name: "plain Fastify", value: us(fastify, fastify.summary.busy) },
      },
    ];
    for (const [name, t] of echo.summary.steps) {
      figures.push({ name: `Echo step: ${name}`, value: us(echo, t), unit: `µs/req (${((t / echo.summary.busy) * 100).toFixed(1)}%)` });
    }
    const layers = [...echo.summary.layers].sort((a, b) => b[1] - a[1]).slice(0, 12);
    for (const [name, t] of layers) {
      const f = fastify.summary.layers.get(name) ?? 0;
      figures.push({
        name: `self time in ${name}`,
        value: us(echo, t),
        unit: "µs/req",
        baseline: { name: "plain Fastify", value: us(fastify, f) },
      });
    }
    for (const [name, t] of [...echo.summary.functions].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      const f = fastify.summary.functions.get(name) ?? 0;
      figures.push({ name: `Echo hottest: ${name}`, value: us(echo, t), unit: `µs/req self (Fastify: ${us(fastify, f).toFixed(1)})` });
    }
    return figures;
  },
};
