// Configuration is read once, at start-up, from flags and the environment, and then
// passed down. Nothing else in the code base reads process.env.
import { resolve } from "node:path";

export interface Config {
  /** Public listener: the cloud protocols, ingest and agent APIs. */
  host: string;
  port: number;
  /** Admin listener: loopback unless configured otherwise. */
  adminHost: string;
  adminPort: number;
  /** Data directory: the PGlite database (when no DATABASE_URL) and credentials.json. */
  dataDir: string;
  /**
   * In-memory mode: PGlite in memory, nothing written to disk (not even credentials.json);
   * the credentials are printed, or pinned by ROOMLEDGER_SECRET_ID/_KEY/ADMIN_TOKEN.
   */
  inMemory: boolean;
  /** PostgreSQL connection string; absent = embedded PGlite in dataDir. */
  databaseUrl: string | null;
  /** PGlite's shared_buffers, e.g. "32MB" (the default; PGlite's own is 128MB). */
  pgliteSharedBuffers: string;
  /** Development mode: admin clock control and the `roomledger` diagnostic service. */
  dev: boolean;
  /** Pinned first-start credentials (reproducible test set-ups). */
  pinnedSecretId: string | null;
  pinnedSecretKey: string | null;
  pinnedAdminToken: string | null;
  /** Tencent API 3.0 rate limit, requests per second per (SecretId, Action) (not per region: see rate-limit.ts); 0 disables. */
  rateLimitPerSecond: number;
  /** Per-action overrides, e.g. BatchRegister=10. */
  rateLimitOverrides: Record<string, number>;
  /** Tencent regions served beside the cloud's public ones, or any (`*`): protocols/tencent/regions.ts. */
  tencentRegions: { extra: string[]; any: boolean };
  /** Ingest request body limit in bytes. */
  ingestBodyLimit: number;
  /** Huawei gateway rate limit, requests per second per credential and API (APIGW.0308); 0 disables. */
  huaweiRateLimitPerSecond: number;
  /** Days of RTC QoS samples kept (whole day partitions are dropped after that). */
  rtcRetentionDays: number;
  /**
   * Retention (src/storage/retention.ts), in days; 0 keeps for ever. eventRetentionDays is
   * also how long a retried ingest event id is recognised as a duplicate.
   */
  eventRetentionDays: number;
  taskRetentionDays: number;
  roomLogRetentionDays: number;
  /** Agent protocol: lease of a claimed task (wall clock), and how often expired leases are swept. */
  agentLeaseMs: number;
  agentSweepMs: number;
  /** Poll interval of the job runner, milliseconds. */
  jobPollMs: number;
  /** On a shared PostgreSQL: how often each instance looks for credential revocations, ms. */
  revocationPollMs: number;
  logLevel: string;
  /** HTTPS on the public listener (--tls): certificate files, or null for roomledger's own CA. */
  tls: { certFile: string | null; keyFile: string | null } | null;
  /** Every listener: the whole request, its headers, and the longest pause within a body, in ms (0: no bound). */
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  bodyIdleTimeoutMs: number;
}

/** A flag or environment variable with a value roomledger cannot use (a usage error: exit 2). */
export class ConfigError extends Error {}

/**
 * Every environment variable the server reads, for `roomledger serve --help` and the README
 * (test/cli/process.test.ts checks that each one read below is listed here).
 */
export const ENVIRONMENT: readonly { name: string; help: string }[] = [
  { name: "ROOMLEDGER_HOST", help: "public host (--host)" },
  { name: "ROOMLEDGER_PORT", help: "public port (--port)" },
  { name: "ROOMLEDGER_ADMIN_HOST", help: "admin API host (--admin-host)" },
  { name: "ROOMLEDGER_ADMIN_PORT", help: "admin API port (--admin-port)" },
  { name: "ROOMLEDGER_DATA", help: "data directory (--data)" },
  { name: "ROOMLEDGER_IN_MEMORY", help: "1: in-memory mode (--in-memory)" },
  { name: "DATABASE_URL", help: "PostgreSQL URL (--database-url)" },
  { name: "ROOMLEDGER_PGLITE_SHARED_BUFFERS", help: "PGlite shared_buffers, e.g. 32MB (the default; 1MB in memory)" },
  { name: "ROOMLEDGER_DEV", help: "1: development mode (--dev)" },
  { name: "ROOMLEDGER_SECRET_ID", help: "pins the first account's SecretId (with ROOMLEDGER_SECRET_KEY)" },
  { name: "ROOMLEDGER_SECRET_KEY", help: "pins the first account's SecretKey" },
  { name: "ROOMLEDGER_ADMIN_TOKEN", help: "pins the admin token (the admin commands send it too)" },
  { name: "ROOMLEDGER_RATE_LIMIT", help: "Tencent API requests/second per SecretId and action (--rate-limit)" },
  { name: "ROOMLEDGER_RATE_LIMITS", help: "per-action overrides, e.g. BatchRegister=10,DescribeRoom=50" },
  { name: "ROOMLEDGER_TENCENT_REGIONS", help: "Tencent regions served beside the cloud's own, e.g. ap-lab,ap-lab2; * = any" },
  { name: "ROOMLEDGER_INGEST_BODY_LIMIT", help: "ingest request body limit in bytes (16 MB)" },
  { name: "ROOMLEDGER_HUAWEI_RATE_LIMIT", help: "Huawei API requests/second per credential (200)" },
  { name: "ROOMLEDGER_RTC_RETENTION_DAYS", help: "days of RTC QoS samples kept (5)" },
  { name: "ROOMLEDGER_AGENT_LEASE_MS", help: "agent task lease, ms (15000)" },
  { name: "ROOMLEDGER_EVENT_RETENTION_DAYS", help: "days the ingest event log is kept, also its duplicate window (30; 0: for ever)" },
  { name: "ROOMLEDGER_TASK_RETENTION_DAYS", help: "days finished agent tasks are kept (30; 0: for ever)" },
  {
    name: "ROOMLEDGER_ROOM_LOG_RETENTION_DAYS",
    help: "days LCIC room event logs and GME presence history are kept after the room (30; 0: for ever)",
  },
  { name: "ROOMLEDGER_AGENT_SWEEP_MS", help: "how often expired leases are swept, ms (1000)" },
  { name: "ROOMLEDGER_JOB_POLL_MS", help: "job runner poll interval, ms (200)" },
  {
    name: "ROOMLEDGER_REVOCATION_POLL_MS",
    help: "on PostgreSQL: how often credential revocations by other instances are looked for, ms (200)",
  },
  { name: "ROOMLEDGER_LOG_LEVEL", help: "pino level (--log-level)" },
  { name: "ROOMLEDGER_REQUEST_TIMEOUT_MS", help: "every listener: a whole request must arrive within this, ms (300000; 0: no bound)" },
  { name: "ROOMLEDGER_HEADERS_TIMEOUT_MS", help: "every listener: request line and headers within this, ms (30000)" },
  { name: "ROOMLEDGER_BODY_IDLE_TIMEOUT_MS", help: "every listener: longest pause within a request body, ms (30000; 0: no bound)" },
];

export interface ConfigSource {
  flags: Record<string, string | boolean | undefined>;
  env: Record<string, string | undefined>;
}

function int(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined || value === false) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got ${String(value)}`);
  return n;
}

function str(value: string | boolean | undefined): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

// 32MB rather than PGlite's 128MB: PGlite's WASM memory only grows, so shared_buffers is
// resident for good once an ingest has filled it; the database files stay in the OS page
// cache behind it. Measured in `npm run bench -- rtc`: the 24-hour query on a 5-day store
// is as fast with 32MB, and the server's RSS under sustained ingest ~100 MB lower.
export const DEFAULT_PGLITE_SHARED_BUFFERS = "32MB";
// In memory (--in-memory) 1MB: the database files themselves are in the process's memory
// (PGlite's in-memory file system), so a bigger buffer pool only holds a second copy of them,
// and PostgreSQL sets its pool up at every start (emscripten zero-fills it: ~6 ms per MB on
// the bench machine; 8MB already cost ~250 ms less CPU per start than 32MB). With the
// single-user trims of storage/pglite.ts, 1MB makes the whole shared memory 4 MB instead of
// 16 MB with 8MB. A page the pool lacks is copied in from the in-memory file: with a 0.8 MB
// table (2,000 events, more than a test suite's ledger) 1MB and 8MB ran the same; with a
// 7.7 MB one, point reads took ~0.4 ms instead of ~0.18 ms and whole-table scans 2-3x as
// long, which is what ROOMLEDGER_PGLITE_SHARED_BUFFERS is for.
export const IN_MEMORY_PGLITE_SHARED_BUFFERS = "1MB";

function sharedBuffers(v: string | undefined, inMemory: boolean): string {
  if (v === undefined || v === "") return inMemory ? IN_MEMORY_PGLITE_SHARED_BUFFERS : DEFAULT_PGLITE_SHARED_BUFFERS;
  if (!/^\d{1,6}(kB|MB|GB)$/.test(v)) throw new ConfigError(`ROOMLEDGER_PGLITE_SHARED_BUFFERS must look like 24MB, got ${v}`);
  return v;
}

function overrides(spec: string | undefined): Record<string, number> {
  // ROOMLEDGER_RATE_LIMITS="BatchRegister=10,DescribeRoom=50"
  const out: Record<string, number> = { BatchRegister: 10 };
  for (const part of (spec ?? "").split(",").filter(Boolean)) {
    const [name, value] = part.split("=");
    if (!name || value === undefined) throw new ConfigError(`bad ROOMLEDGER_RATE_LIMITS entry: ${part}`);
    out[name.trim()] = int(value.trim(), 0, `ROOMLEDGER_RATE_LIMITS ${name}`);
  }
  return out;
}

// ROOMLEDGER_TENCENT_REGIONS="ap-lab,ap-lab2" (added to the cloud's list) or "*" (any name).
function regions(spec: string | undefined): Config["tencentRegions"] {
  const names = (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) if (n !== "*" && !/^[a-z0-9-]{1,64}$/.test(n)) throw new ConfigError(`bad ROOMLEDGER_TENCENT_REGIONS entry: ${n}`);
  return { any: names.includes("*"), extra: names.filter((n) => n !== "*") };
}

/** A port: an integer 0..65535 (0 = any free one). */
function port(value: string | boolean | undefined, fallback: number, name: string): number {
  const n = int(value, fallback, name);
  if (n > 65535) throw new ConfigError(`${name} must be a port number (0..65535), got ${String(value)}`);
  return n;
}

export function loadConfig({ flags, env }: ConfigSource): Config {
  const databaseUrl = str(flags["database-url"]) ?? str(env.DATABASE_URL);
  const inMemory = flags["in-memory"] === true || env.ROOMLEDGER_IN_MEMORY === "1" || env.ROOMLEDGER_IN_MEMORY === "true";
  if (inMemory && databaseUrl) throw new ConfigError("--in-memory and a PostgreSQL URL (--database-url, DATABASE_URL) exclude each other");
  const publicPort = port(flags.port ?? env.ROOMLEDGER_PORT, 8787, "--port");
  const dev = flags.dev === true || env.ROOMLEDGER_DEV === "1" || env.ROOMLEDGER_DEV === "true";
  return {
    host: str(flags.host) ?? env.ROOMLEDGER_HOST ?? "127.0.0.1",
    port: publicPort,
    adminHost: str(flags["admin-host"]) ?? env.ROOMLEDGER_ADMIN_HOST ?? "127.0.0.1",
    // --port 0 (any free port) makes the admin port any free one too, unless it is given:
    // a fixed default beside a free public port would clash between parallel instances.
    adminPort: port(flags["admin-port"] ?? env.ROOMLEDGER_ADMIN_PORT, publicPort === 0 ? 0 : 8788, "--admin-port"),
    dataDir: resolve(str(flags.data) ?? env.ROOMLEDGER_DATA ?? ".roomledger"),
    inMemory,
    databaseUrl,
    pgliteSharedBuffers: sharedBuffers(env.ROOMLEDGER_PGLITE_SHARED_BUFFERS, inMemory),
    dev,
    pinnedSecretId: str(env.ROOMLEDGER_SECRET_ID),
    pinnedSecretKey: str(env.ROOMLEDGER_SECRET_KEY),
    pinnedAdminToken: str(env.ROOMLEDGER_ADMIN_TOKEN),
    rateLimitPerSecond: int(flags["rate-limit"] ?? env.ROOMLEDGER_RATE_LIMIT, 20, "--rate-limit"),
    rateLimitOverrides: overrides(env.ROOMLEDGER_RATE_LIMITS),
    tencentRegions: regions(env.ROOMLEDGER_TENCENT_REGIONS),
    ingestBodyLimit: int(env.ROOMLEDGER_INGEST_BODY_LIMIT, 16 * 1024 * 1024, "ROOMLEDGER_INGEST_BODY_LIMIT"),
    huaweiRateLimitPerSecond: int(env.ROOMLEDGER_HUAWEI_RATE_LIMIT, 200, "ROOMLEDGER_HUAWEI_RATE_LIMIT"),
    rtcRetentionDays: Math.max(1, int(env.ROOMLEDGER_RTC_RETENTION_DAYS, 5, "ROOMLEDGER_RTC_RETENTION_DAYS")),
    eventRetentionDays: int(env.ROOMLEDGER_EVENT_RETENTION_DAYS, 30, "ROOMLEDGER_EVENT_RETENTION_DAYS"),
    taskRetentionDays: int(env.ROOMLEDGER_TASK_RETENTION_DAYS, 30, "ROOMLEDGER_TASK_RETENTION_DAYS"),
    roomLogRetentionDays: int(env.ROOMLEDGER_ROOM_LOG_RETENTION_DAYS, 30, "ROOMLEDGER_ROOM_LOG_RETENTION_DAYS"),
    agentLeaseMs: int(env.ROOMLEDGER_AGENT_LEASE_MS, 15_000, "ROOMLEDGER_AGENT_LEASE_MS"),
    agentSweepMs: int(env.ROOMLEDGER_AGENT_SWEEP_MS, 1_000, "ROOMLEDGER_AGENT_SWEEP_MS"),
    jobPollMs: int(env.ROOMLEDGER_JOB_POLL_MS, 200, "ROOMLEDGER_JOB_POLL_MS"),
    revocationPollMs: Math.max(10, int(env.ROOMLEDGER_REVOCATION_POLL_MS, 200, "ROOMLEDGER_REVOCATION_POLL_MS")),
    logLevel: str(flags["log-level"]) ?? env.ROOMLEDGER_LOG_LEVEL ?? "info",
    tls: tlsOption(flags),
    ...listenerTimeouts(env),
  };
}

// Node's own request bound (5 minutes: a 16 MB body on a 1 Mbit/s link fits); headers within
// 30 s, and a body may pause 30 s at most. Node refuses headers allowed longer than the request.
function listenerTimeouts(env: ConfigSource["env"]): Pick<Config, "requestTimeoutMs" | "headersTimeoutMs" | "bodyIdleTimeoutMs"> {
  const requestTimeoutMs = int(env.ROOMLEDGER_REQUEST_TIMEOUT_MS, 300_000, "ROOMLEDGER_REQUEST_TIMEOUT_MS");
  const headersTimeoutMs = int(env.ROOMLEDGER_HEADERS_TIMEOUT_MS, 30_000, "ROOMLEDGER_HEADERS_TIMEOUT_MS");
  return {
    requestTimeoutMs,
    headersTimeoutMs: requestTimeoutMs > 0 ? Math.min(headersTimeoutMs, requestTimeoutMs) : headersTimeoutMs,
    bodyIdleTimeoutMs: int(env.ROOMLEDGER_BODY_IDLE_TIMEOUT_MS, 30_000, "ROOMLEDGER_BODY_IDLE_TIMEOUT_MS"),
  };
}

// --tls-cert and --tls-key imply --tls; one without the other is a mistake worth stopping on.
function tlsOption(flags: ConfigSource["flags"]): Config["tls"] {
  const certFile = str(flags["tls-cert"]);
  const keyFile = str(flags["tls-key"]);
  if ((certFile === null) !== (keyFile === null)) throw new Error("--tls-cert and --tls-key go together");
  if (flags.tls !== true && certFile === null) return null;
  return { certFile: certFile && resolve(certFile), keyFile: keyFile && resolve(keyFile) };
}
