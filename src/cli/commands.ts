// The roomledger commands: `serve`, the admin commands (admin-commands.ts), the simulated
// workers, the demo and the simulator.
import { ENVIRONMENT, loadConfig } from "../config.ts";
import { adminCommands, browserTokenCommand } from "./admin-commands.ts";
import { UsageError, type CommandSpec } from "./args.ts";
import { loadProducts } from "./products.ts";
import type { WorkerSimulator } from "../agent/simulator.ts";
import { readCredentials } from "../tenancy/bootstrap.ts";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { hostname } from "node:os";
import { demoCommand } from "../demo/command.ts";
import { watchNpmParent } from "./npm-parent.ts";
import { simulateCommand } from "../simulate/command.ts";
import { sourceCommands } from "./source-commands.ts";
import { earlyStart } from "../storage/early-start.ts";
import { releaseWasmTierUp, wasmTierUpHeld } from "../storage/wasm-tiering.ts";
import { startMark } from "../storage/start-marks.ts";
import { traceToFirstAnswer } from "./start-trace.ts";

const data = { type: "string" as const, help: "data directory of the server (default ./.roomledger)" };

const serve: CommandSpec = {
  name: "serve",
  summary: "start the server (embedded PGlite in --data, or PostgreSQL from DATABASE_URL)",
  options: {
    port: { type: "string", help: "public port (default 8787; 0 = any free port)" },
    host: { type: "string", help: "public host (default 127.0.0.1)" },
    "admin-port": { type: "string", help: "admin API port (default 8788; with --port 0, any free port)" },
    "admin-host": { type: "string", help: "admin API host (default 127.0.0.1)" },
    data,
    "in-memory": { type: "boolean", help: "embedded database in memory: nothing written to disk, state gone at exit" },
    "database-url": { type: "string", help: "PostgreSQL URL (default: env DATABASE_URL, else embedded)" },
    "rate-limit": { type: "string", help: "Tencent API requests per second per SecretId and action (default 20; 0 = off)" },
    dev: { type: "boolean", help: "development mode: movable domain clock, diagnostic service" },
    "log-level": { type: "string", help: "pino level (default info)" },
    tls: { type: "boolean", help: "HTTPS on the public port, certificate signed by roomledger's CA (<data>/tls/ca.pem)" },
    "tls-cert": { type: "string", help: "HTTPS with this PEM certificate (chain) instead of roomledger's CA; needs --tls-key" },
    "tls-key": { type: "string", help: "PEM private key of --tls-cert" },
  },
  helpFooter: ["environment variables (flags win):", ...ENVIRONMENT.map((e) => `  ${e.name.padEnd(34)} ${e.help}`)].join("\n"),
  async run(flags, env) {
    const config = loadConfig({ flags, env });
    startMark("serve: configured");
    // Loaded here, not at the top: the admin commands need none of the server's modules
    // (Fastify, PGlite, pg, ...), and start several times faster without them.
    // The embedded database's WebAssembly compiles on V8's background threads while the
    // server's modules load on this one (storage/pglite-wasm.ts); a rejection surfaces when
    // openPglite awaits it.
    // bin/roomledger.js started these already from its guess (storage/early-start.ts); a
    // second call shares the first.
    if (!config.databaseUrl) {
      void import("../storage/pglite-wasm.ts").then((w) => {
        w.pgliteWasm().catch(() => {});
        w.prefetchPgliteFsBundle();
      });
      // The migrated snapshot too, read and inflated on libuv's threads (storage/snapshot.ts),
      // when a new database will be made from it (in memory, or no database in --data yet).
      const fresh = config.inMemory || !existsSync(join(config.dataDir, "pgdata", "PG_VERSION"));
      void import("../storage/snapshot.ts").then((s) => (fresh ? s.prefetchSnapshot() : s.discardPrefetchedSnapshot()));
    }
    const { startServer } = await import("../server.ts");
    startMark("serve: server's modules loaded");
    const server = await startServer(config);
    // Which of PGlite's artifacts the early start's thread made (storage/early-start.ts; the
    // rest were made on this thread), whether the start ran with the raised WebAssembly
    // tiering budget (storage/wasm-tiering.ts), and when the server was up: a test reads this line.
    server.platform.log.debug({ earlyStart, wasmTierUpHeld: wasmTierUpHeld(), upAfterMs: Math.round(performance.now()) }, "start-up");
    // The start's timeline to the first answer (start-trace.ts; the cold-start bench reads it).
    if (server.platform.log.isLevelEnabled("debug")) traceToFirstAnswer((trace) => server.platform.log.debug({ trace }, "start-up trace"));
    const c = server.credentials;
    if (config.inMemory) {
      process.stdout.write(
        [
          "roomledger in memory: nothing is written to disk. Credentials (ROOMLEDGER_SECRET_ID/_SECRET_KEY/_ADMIN_TOKEN pin them):",
          ...credentialLines(c),
          "",
        ].join("\n"),
      );
    } else if (server.firstStart) {
      process.stdout.write(
        [
          "roomledger created an account on first start. Keep these; they are also saved (owner-only) in",
          `  ${config.dataDir}/credentials.json`,
          ...credentialLines(c),
          "",
        ].join("\n"),
      );
    }
    if (server.tls?.caPath) process.stdout.write(`TLS: certificates signed by roomledger's CA; clients trust ${server.tls.caPath}\n`);
    else if (server.tls?.caPem)
      process.stdout.write(`TLS: certificates signed by this CA (kept in memory only); clients trust:\n${server.tls.caPem}`);
    process.stdout.write(
      `roomledger listening on ${server.url} (admin ${server.adminUrl}, storage ${server.platform.db.capabilities.name}${config.inMemory ? " in memory" : ""}${config.dev ? ", dev" : ""})\n`,
    );
    // The start is over: V8's own WebAssembly tiering budget again (storage/wasm-tiering.ts).
    releaseWasmTierUp();
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: finishing requests and jobs in flight\n`);
        server.close().then(resolve, resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      // Started by npm (npx, npm exec, npm start): stop when npm is gone (npm-parent.ts).
      if (env.npm_command) watchNpmParent(() => stop("npm exited"));
    });
    return 0;
  },
};

const workerSimulate: CommandSpec = {
  name: "worker simulate",
  summary: "run a SIMULATED worker of a task kind against a server (tests, demo)",
  options: {
    kind: { type: "string", help: "task kind, e.g. tiw-push or gme-record" },
    credential: {
      type: "string",
      help: "a worker credential of the app for this kind (roomledger worker-credentials create; or env ROOMLEDGER_WORKER_CREDENTIAL)",
    },
    url: { type: "string", help: "server URL (default: from the data directory)" },
    "worker-id": { type: "string", help: "worker id (default: host-pid)" },
    "start-delay": { type: "string", help: "ms between claim and start report (default 500)" },
    "failure-rate": { type: "string", help: "probability of an exception per heartbeat, 0..1 (default 0)" },
    once: { type: "boolean", help: "handle one task, then exit" },
    data,
  },
  async run(flags, env) {
    const simulators: Record<string, WorkerSimulator> = Object.assign({}, ...(await loadProducts()).map((p) => p.workerSimulators ?? {}));
    const kind = String(flags.kind ?? "");
    const simulate = simulators[kind];
    if (!simulate) throw new UsageError(`--kind must be one of: ${Object.keys(simulators).join(", ") || "(none yet)"}`);
    const credential = (typeof flags.credential === "string" ? flags.credential : env.ROOMLEDGER_WORKER_CREDENTIAL) ?? "";
    if (!credential)
      throw new UsageError("--credential (or ROOMLEDGER_WORKER_CREDENTIAL) is required: an app's ingest key no longer makes a worker");
    const dataDir = resolve(typeof flags.data === "string" ? flags.data : (env.ROOMLEDGER_DATA ?? ".roomledger"));
    const baseUrl = (typeof flags.url === "string" ? flags.url : readCredentials(dataDir)?.url) ?? "";
    if (!baseUrl) throw new UsageError("--url is required (no running server found in the data directory)");
    const num = (v: unknown, d: number) => (typeof v === "string" ? Number(v) : d);
    const failureRate = num(flags["failure-rate"], 0);
    const startDelayMs = num(flags["start-delay"], 500);
    if (!(failureRate >= 0 && failureRate <= 1)) throw new UsageError("--failure-rate must be between 0 and 1");
    if (!(startDelayMs >= 0)) throw new UsageError("--start-delay must be a non-negative number of ms");
    const abort = new AbortController();
    process.once("SIGINT", () => abort.abort());
    process.once("SIGTERM", () => abort.abort());
    await simulate({
      baseUrl,
      credential,
      workerId: typeof flags["worker-id"] === "string" ? flags["worker-id"] : `${hostname()}-${process.pid}`,
      startDelayMs,
      failureRate,
      once: flags.once === true,
      signal: abort.signal,
      log: (line) => process.stdout.write(`[simulated ${kind} worker] ${line}\n`),
    });
    return 0;
  },
};

export const commands: CommandSpec[] = [serve, ...adminCommands, browserTokenCommand, workerSimulate, demoCommand, simulateCommand];
commands.push(...sourceCommands);

/** The credentials as serve prints them, one per line. */
function credentialLines(c: { secretId: string; secretKey: string; huaweiProjectId: string; adminToken: string }): string[] {
  return [
    `  SecretId:          ${c.secretId}`,
    `  SecretKey:         ${c.secretKey}`,
    `  Huawei project id: ${c.huaweiProjectId}`,
    `  Admin token:       ${c.adminToken}`,
  ];
}
