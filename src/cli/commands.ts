// The roomledger commands: `serve`, and the admin commands that talk to a running server.
import { loadConfig } from "../config.ts";
import { adminCall, adminTarget } from "./admin-client.ts";
import { UsageError, type CommandSpec, type Flags } from "./args.ts";
import { allProducts } from "../products/registry.ts";
import type { WorkerSimulator } from "../agent/simulator.ts";
import { readCredentials } from "../tenancy/bootstrap.ts";
import { resolve } from "node:path";
import { hostname } from "node:os";
import { demoCommand } from "../demo/command.ts";
import { simulateCommand } from "../simulate/command.ts";

const json = { type: "boolean" as const, help: "print the result as JSON" };
const data = { type: "string" as const, help: "data directory of the server (default ./.roomledger)" };
const adminUrl = { type: "string" as const, help: "admin API URL (default: from the data directory)" };
const PRODUCTS = new Set(["lcic", "tiw", "gme", "trro", "rtc"]);

function print(flags: Flags, value: Record<string, unknown>, text: string): void {
  process.stdout.write(flags.json ? JSON.stringify(value) + "\n" : text + "\n");
}

const serve: CommandSpec = {
  name: "serve",
  summary: "start the server (embedded PGlite in --data, or PostgreSQL from DATABASE_URL)",
  options: {
    port: { type: "string", help: "public port (default 8787; 0 = any free port)" },
    host: { type: "string", help: "public host (default 127.0.0.1)" },
    "admin-port": { type: "string", help: "admin API port (default 8788)" },
    "admin-host": { type: "string", help: "admin API host (default 127.0.0.1)" },
    data,
    "database-url": { type: "string", help: "PostgreSQL URL (default: env DATABASE_URL, else embedded)" },
    "rate-limit": { type: "string", help: "Tencent API requests per second per SecretId and action (default 20; 0 = off)" },
    dev: { type: "boolean", help: "development mode: movable domain clock, diagnostic service" },
    "log-level": { type: "string", help: "pino level (default info)" },
  },
  async run(flags, env) {
    const config = loadConfig({ flags, env });
    // Loaded here, not at the top: the admin commands need none of the server's modules
    // (Fastify, PGlite, pg, ...), and start several times faster without them.
    const { startServer } = await import("../server.ts");
    const server = await startServer(config);
    const c = server.credentials;
    if (server.firstStart) {
      process.stdout.write(
        [
          "roomledger created an account on first start. Keep these; they are also saved (owner-only) in",
          `  ${config.dataDir}/credentials.json`,
          `  SecretId:          ${c.secretId}`,
          `  SecretKey:         ${c.secretKey}`,
          `  Huawei project id: ${c.huaweiProjectId}`,
          `  Admin token:       ${c.adminToken}`,
          "",
        ].join("\n"),
      );
    }
    process.stdout.write(
      `roomledger listening on ${server.url} (admin ${server.adminUrl}, storage ${server.platform.db.capabilities.name}${config.dev ? ", dev" : ""})\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.stdout.write(`${signal}: finishing requests and jobs in flight\n`);
        server.close().then(resolve, resolve);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    return 0;
  },
};

const keysCreate: CommandSpec = {
  name: "keys create",
  summary: "create a SecretId/SecretKey pair (Huawei AK/SK are the same pair)",
  options: { account: { type: "string", help: "account id (default: the first account)" }, json, data, "admin-url": adminUrl },
  async run(flags, env) {
    const r = await adminCall(adminTarget(flags, env), "POST", "/keys", { accountId: flags.account || undefined });
    print(flags, r, `SecretId:  ${r.secretId}\nSecretKey: ${r.secretKey}`);
    return 0;
  },
};

const accountsCreate: CommandSpec = {
  name: "accounts create",
  summary: "create another account (with its first key pair)",
  options: { name: { type: "string", help: "account name" }, json, data, "admin-url": adminUrl },
  async run(flags, env) {
    if (typeof flags.name !== "string" || flags.name === "") throw new UsageError("--name is required");
    const r = await adminCall(adminTarget(flags, env), "POST", "/accounts", { name: flags.name });
    print(flags, r, `AccountId: ${r.accountId}\nSecretId:  ${r.secretId}\nSecretKey: ${r.secretKey}\nHuawei project id: ${r.huaweiProjectId}`);
    return 0;
  },
};

const appsCreate: CommandSpec = {
  name: "apps create",
  summary: "create an app for one or more products (lcic, tiw, gme, trro, rtc; e.g. lcic,tiw)",
  options: {
    product: { type: "string", help: "product(s), comma-separated" },
    name: { type: "string", help: "app name" },
    account: { type: "string", help: "account id (default: the first account)" },
    json,
    data,
    "admin-url": adminUrl,
  },
  async run(flags, env) {
    const products = String(flags.product ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    if (products.length === 0) throw new UsageError("--product is required (lcic, tiw, gme, trro or rtc)");
    const bad = products.find((p) => !PRODUCTS.has(p));
    if (bad) throw new UsageError(`unknown product: ${bad} (lcic, tiw, gme, trro or rtc)`);
    const r = await adminCall(adminTarget(flags, env), "POST", "/apps", {
      products,
      name: typeof flags.name === "string" ? flags.name : undefined,
      accountId: typeof flags.account === "string" ? flags.account : undefined,
    });
    print(flags, r, `AppId: ${r.appId} (${r.products.join(", ")})`);
    return 0;
  },
};

const appsList: CommandSpec = {
  name: "apps list",
  summary: "list the apps of an account",
  options: { account: { type: "string", help: "account id" }, json, data, "admin-url": adminUrl },
  async run(flags, env) {
    const q = typeof flags.account === "string" ? `?accountId=${encodeURIComponent(flags.account)}` : "";
    const r = await adminCall(adminTarget(flags, env), "GET", `/apps${q}`);
    print(flags, r, r.apps.map((a: { appId: string; products: string[]; name: string }) => `${a.appId}\t${a.products.join(",")}\t${a.name}`).join("\n"));
    return 0;
  },
};

const ingestKeysCreate: CommandSpec = {
  name: "ingest-keys create",
  summary: "create an ingest key for an app (shown once; stored hashed)",
  options: { app: { type: "string", help: "app id" }, json, data, "admin-url": adminUrl },
  async run(flags, env) {
    if (typeof flags.app !== "string" || flags.app === "") throw new UsageError("--app is required");
    const r = await adminCall(adminTarget(flags, env), "POST", "/ingest-keys", { appId: flags.app });
    print(flags, r, `IngestKey: ${r.key}`);
    return 0;
  },
};

const callbacksSet: CommandSpec = {
  name: "callbacks set",
  summary: "set an app's callback URL and/or key for a product (\"\" removes)",
  options: {
    app: { type: "string", help: "app id" },
    product: { type: "string", help: "lcic or tiw" },
    url: { type: "string", help: "http(s) URL receiving the callbacks" },
    key: { type: "string", help: "callback key (Sign = md5(key + ExpireTime))" },
    json,
    data,
    "admin-url": adminUrl,
  },
  async run(flags, env) {
    if (typeof flags.app !== "string" || typeof flags.product !== "string") throw new UsageError("--app and --product are required");
    const r = await adminCall(adminTarget(flags, env), "POST", "/callbacks", {
      appId: flags.app,
      product: flags.product,
      url: typeof flags.url === "string" ? flags.url : undefined,
      key: typeof flags.key === "string" ? flags.key : undefined,
    });
    print(flags, r, `callback for ${r.appId}/${r.product}: ${r.url || "(none)"}`);
    return 0;
  },
};

const workerSimulate: CommandSpec = {
  name: "worker simulate",
  summary: "run a SIMULATED worker of a task kind against a server (tests, demo)",
  options: {
    kind: { type: "string", help: "task kind, e.g. tiw-push or gme-record" },
    "ingest-key": { type: "string", help: "the app's ingest key (or env ROOMLEDGER_INGEST_KEY)" },
    url: { type: "string", help: "server URL (default: from the data directory)" },
    "worker-id": { type: "string", help: "worker id (default: host-pid)" },
    "start-delay": { type: "string", help: "ms between claim and start report (default 500)" },
    "failure-rate": { type: "string", help: "probability of an exception per heartbeat, 0..1 (default 0)" },
    once: { type: "boolean", help: "handle one task, then exit" },
    data,
  },
  async run(flags, env) {
    const simulators: Record<string, WorkerSimulator> = Object.assign({}, ...allProducts.map((p) => p.workerSimulators ?? {}));
    const kind = String(flags.kind ?? "");
    const simulate = simulators[kind];
    if (!simulate) throw new UsageError(`--kind must be one of: ${Object.keys(simulators).join(", ") || "(none yet)"}`);
    const ingestKey = (typeof flags["ingest-key"] === "string" ? flags["ingest-key"] : env.ROOMLEDGER_INGEST_KEY) ?? "";
    if (!ingestKey) throw new UsageError("--ingest-key (or ROOMLEDGER_INGEST_KEY) is required");
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
      ingestKey,
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

const clockAdvance: CommandSpec = {
  name: "clock advance",
  summary: "move domain time forward (server started with --dev)",
  options: { seconds: { type: "string", help: "seconds to advance" }, json, data, "admin-url": adminUrl },
  async run(flags, env) {
    const seconds = Number(flags.seconds);
    if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError("--seconds must be a non-negative number");
    const r = await adminCall(adminTarget(flags, env), "POST", "/clock/advance", { seconds });
    print(flags, r, `now: ${new Date(r.now).toISOString()}`);
    return 0;
  },
};

const tokensCreate: CommandSpec = {
  name: "tokens create",
  summary: "issue an X-Auth-Token for the Huawei APIs (shown once; stored hashed)",
  options: {
    account: { type: "string", help: "account id (default: the first account)" },
    ttl: { type: "string", help: "lifetime in seconds (default 86400, as IAM tokens)" },
    label: { type: "string", help: "a note to recognise the token by" },
    json,
    data,
    "admin-url": adminUrl,
  },
  async run(flags, env) {
    const ttl = flags.ttl === undefined ? undefined : Number(flags.ttl);
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1)) throw new UsageError("--ttl must be a positive integer");
    const r = await adminCall(adminTarget(flags, env), "POST", "/rtc/tokens", {
      accountId: typeof flags.account === "string" ? flags.account : undefined,
      label: typeof flags.label === "string" ? flags.label : undefined,
      ttlSeconds: ttl,
    });
    print(flags, r, `X-Auth-Token: ${r.token}\nProject id:   ${r.huaweiProjectId}\nExpires at:   ${r.expiresAt}`);
    return 0;
  },
};

export const commands: CommandSpec[] = [serve, keysCreate, accountsCreate, appsCreate, appsList, ingestKeysCreate, callbacksSet, workerSimulate, clockAdvance, tokensCreate, demoCommand, simulateCommand];
