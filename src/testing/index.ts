// `roomledger/testing`: one roomledger per test file (or suite), in memory, on free loopback
// ports, in this process, in development mode (so the domain clock can be advanced).
//
//   const rl = await startRoomledger();
//   const lcic = new tencentcloud.lcic.v20220817.Client(rl.tencentcloud);
//   ...
//   await rl.stop();
//
// The SDKs are not imported here: the client configurations are plain objects the SDKs take
// as they are, so the project under test uses its own SDK versions (see README, "Emulator").
import http from "node:http";
import { loadConfig } from "../config.ts";
import { startServer, type RunningServer } from "../server.ts";

export type ProductName = "lcic" | "tiw" | "gme" | "trro" | "rtc";

export interface RoomledgerOptions {
  /** Development mode (advance(), diagnostic service). Default true. */
  dev?: boolean;
  /** Pinned credentials; default: new random ones for each start. */
  secretId?: string;
  secretKey?: string;
  adminToken?: string;
  /** Tencent API requests/second per SecretId and action; default 0 (off, as a test wants). */
  rateLimit?: number;
  /** The server's log level (pino); default "warn". */
  logLevel?: string;
  /**
   * More of `roomledger serve`'s environment variables (`roomledger serve --help`), e.g.
   * { ROOMLEDGER_JOB_POLL_MS: "50" }. The process environment is not read.
   */
  env?: Record<string, string>;
}

/** What `new tencentcloud.<product>.<version>.Client(config)` takes. */
export interface TencentClientConfig {
  credential: { secretId: string; secretKey: string };
  profile: { httpProfile: { endpoint: string; protocol: string; agent: http.Agent } };
}

/** What the Huawei SDK's ClientBuilder takes: withEndpoint(endpoint), BasicCredentials ak/sk/projectId. */
export interface HuaweiClientConfig {
  endpoint: string;
  ak: string;
  sk: string;
  projectId: string;
}

export interface IngestEvent {
  /** The client's id of the event: retries with the same id are stored once. */
  id: string;
  type: string;
  /** When it happened: Unix ms or an ISO date-time. */
  ctime: number | string;
  data: Record<string, unknown>;
}

export interface IngestAnswer {
  accepted: number;
  duplicates: number;
  requestId: string;
  [more: string]: unknown;
}

export class RoomledgerError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(message: string, status: number, body: unknown) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export interface Roomledger {
  /** The public listener: cloud APIs, ingest, agent protocol. */
  url: string;
  /** host:port of url, as the Tencent SDKs' httpProfile.endpoint takes it. */
  endpoint: string;
  adminUrl: string;
  secretId: string;
  secretKey: string;
  adminToken: string;
  huaweiProjectId: string;
  /** For tencentcloud-sdk-nodejs: new tencentcloud.lcic.v20220817.Client(rl.tencentcloud). */
  tencentcloud: TencentClientConfig;
  /** For @huaweicloud/huaweicloud-sdk-core (AK/SK = the SecretId/SecretKey). */
  huawei: HuaweiClientConfig;
  /** Creates an app for these products (one TRRO project is an app of its own); returns its id. */
  createApp(products: ProductName | readonly ProductName[], name?: string): Promise<string>;
  /** A new ingest key for an app (what its clients report events with). */
  ingestKey(appId: string): Promise<string>;
  /**
   * A new worker credential for an app's task workers of these kinds (e.g. "tiw-push"): what
   * AgentClient and the simulated workers authenticate with on the agent protocol, which
   * refuses the app's ingest key.
   */
  workerCredential(appId: string, kinds: string | readonly string[]): Promise<string>;
  /** Posts events to the ingest API with the app's key (made once per app); rejects on a non-2xx answer. */
  ingest(appId: string, events: readonly IngestEvent[]): Promise<IngestAnswer>;
  /** Moves domain time forward and runs what became due; resolves with the new time (Unix ms). */
  advance(seconds: number): Promise<number>;
  /** Empties every product's state; the apps too with { apps: true }. Accounts and keys stay. */
  reset(opts?: { apps?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export async function startRoomledger(options: RoomledgerOptions = {}): Promise<Roomledger> {
  const env: Record<string, string> = { ...options.env };
  if (options.secretId) env.ROOMLEDGER_SECRET_ID = options.secretId;
  if (options.secretKey) env.ROOMLEDGER_SECRET_KEY = options.secretKey;
  if (options.adminToken) env.ROOMLEDGER_ADMIN_TOKEN = options.adminToken;
  const config = loadConfig({
    flags: {
      "in-memory": true,
      dev: options.dev ?? true,
      host: "127.0.0.1",
      port: "0",
      "admin-host": "127.0.0.1",
      "admin-port": "0",
      "rate-limit": String(options.rateLimit ?? 0),
      "log-level": options.logLevel ?? "warn",
    },
    env,
  });
  const server: RunningServer = await startServer(config);
  const c = server.credentials;
  const endpoint = new URL(server.url).host;
  // An explicit agent keeps the SDK off http_proxy/https_proxy; closed by stop().
  const agent = new http.Agent({ keepAlive: true });
  const ingestKeys = new Map<string, Promise<string>>();

  const call = async <T>(base: string, path: string, init: { method: string; token: string; body?: unknown }): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: init.method,
      headers: {
        authorization: `Bearer ${init.token}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the error.
    }
    if (!res.ok)
      throw new RoomledgerError(`${init.method} ${path}: ${res.status} ${body?.error?.message ?? body?.message ?? text}`, res.status, body);
    return body as T;
  };
  const admin = <T>(method: string, path: string, body?: unknown) =>
    call<T>(server.adminUrl, `/admin/v1${path}`, { method, token: c.adminToken, body });
  const ingestKey = async (appId: string) => (await admin<{ key: string }>("POST", "/ingest-keys", { appId })).key;

  return {
    url: server.url,
    endpoint,
    adminUrl: server.adminUrl,
    secretId: c.secretId,
    secretKey: c.secretKey,
    adminToken: c.adminToken,
    huaweiProjectId: c.huaweiProjectId,
    tencentcloud: {
      credential: { secretId: c.secretId, secretKey: c.secretKey },
      profile: { httpProfile: { endpoint, protocol: "http://", agent } },
    },
    huawei: { endpoint: server.url, ak: c.secretId, sk: c.secretKey, projectId: c.huaweiProjectId },
    async createApp(products, name) {
      const list = typeof products === "string" ? [products] : [...products];
      return (await admin<{ appId: string }>("POST", "/apps", { products: list, ...(name === undefined ? {} : { name }) })).appId;
    },
    ingestKey,
    async workerCredential(appId, kinds) {
      const list = typeof kinds === "string" ? [kinds] : [...kinds];
      return (await admin<{ credential: string }>("POST", "/worker-credentials", { appId, kinds: list })).credential;
    },
    async ingest(appId, events) {
      let key = ingestKeys.get(appId);
      if (!key) {
        key = ingestKey(appId);
        ingestKeys.set(appId, key);
        key.catch(() => ingestKeys.delete(appId));
      }
      return call<IngestAnswer>(server.url, "/ingest/v1/events", { method: "POST", token: await key, body: events });
    },
    async advance(seconds) {
      return (await admin<{ now: number }>("POST", "/clock/advance", { seconds })).now;
    },
    async reset(opts = {}) {
      await admin("POST", "/reset", { apps: opts.apps === true });
      // Ingest keys went with the apps.
      if (opts.apps) ingestKeys.clear();
    },
    async stop() {
      agent.destroy();
      await server.close();
    },
  };
}
