// Starts roomledger as a real process (`roomledger serve`, through the shared harness) for
// black-box tests, on free loopback ports, with pinned credentials, in a temporary data
// directory.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, spawnServe } from "./harness.ts";
import { freshDatabase, type Backend } from "./postgres.ts";

export { BIN, ROOT } from "./harness.ts";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `roomledger <args>` as a subprocess (with the given environment) and collects its output. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const proc = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (d) => (stdout += d));
  proc.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve) => proc.once("exit", (code) => resolve({ code, stdout, stderr })));
}

export const TEST_SECRET_ID = "AKIDroomledgerTEST000000000000000001";
export const TEST_SECRET_KEY = "roomledgerTestSecretKey000000001";
export const TEST_ADMIN_TOKEN = "rladm_test_admin_token_0000000000000000000";

export interface TestServer {
  url: string;
  adminUrl: string;
  /** host:port, as the Tencent SDKs take it in httpProfile.endpoint. */
  endpoint: string;
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  secretId: string;
  secretKey: string;
  huaweiProjectId: string;
  proc: ChildProcess;
  output(): string;
  /** Calls the admin API; throws on a non-2xx answer. */
  admin<T = any>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  /** Advances the development clock and runs what became due. */
  advance(seconds: number): Promise<void>;
  /** Creates an app and returns its id. */
  createApp(products: string[], name?: string): Promise<string>;
  /** Creates an ingest key for an app. */
  ingestKey(appId: string): Promise<string>;
  /** Creates a worker credential of an app for these task kinds (the agent protocol's key). */
  workerCredential(appId: string, kinds: readonly string[]): Promise<string>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface StartOptions {
  backend?: Backend;
  /** Reuse a data directory / database (restart tests). */
  dataDir?: string;
  databaseUrl?: string | null;
  dev?: boolean;
  env?: Record<string, string>;
  args?: string[];
  port?: number;
}

/** Where global-setup.ts left a PGlite data directory it migrated once (see newDataDir). */
export const PGLITE_TEMPLATE_VAR = "ROOMLEDGER_TEST_PGLITE_TEMPLATE";

/**
 * A new data directory. For a PGlite server with the pinned credentials, a copy of the run's
 * migrated template (an initdb and every migration are about half of a PGlite server's start,
 * and a start is most of many test files' time); otherwise empty. Tests that need a server's
 * very first start (initdb, migrations from nothing, credentials printed) give their own
 * directory or credentials, or use spawnServe; the package and README tests do.
 */
function newDataDir(opts: StartOptions): string {
  const dir = mkdtempSync(join(tmpdir(), "roomledger-test-"));
  const template = process.env[PGLITE_TEMPLATE_VAR];
  const ownCredentials = ["ROOMLEDGER_SECRET_ID", "ROOMLEDGER_SECRET_KEY", "ROOMLEDGER_ADMIN_TOKEN"].some(
    (k) => opts.env?.[k] !== undefined,
  );
  if (template && opts.backend !== "postgres" && opts.databaseUrl == null && !ownCredentials) cpSync(template, dir, { recursive: true });
  return dir;
}

export async function startServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? newDataDir(opts);
  const databaseUrl = opts.databaseUrl !== undefined ? opts.databaseUrl : opts.backend === "postgres" ? await freshDatabase() : null;
  const serve = await spawnServe({
    dataDir,
    databaseUrl,
    port: opts.port,
    args: [...(opts.dev !== false ? ["--dev"] : []), ...(opts.args ?? [])],
    env: {
      ROOMLEDGER_SECRET_ID: TEST_SECRET_ID,
      ROOMLEDGER_SECRET_KEY: TEST_SECRET_KEY,
      ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      ROOMLEDGER_JOB_POLL_MS: "50",
      ...(opts.env ?? {}),
    },
  });
  const { url, adminUrl, port, proc } = serve;
  const admin = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${adminUrl}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const accounts = await admin<{ accounts: { huaweiProjectId: string }[] }>("GET", "/accounts");
  const server: TestServer = {
    url,
    adminUrl,
    endpoint: `127.0.0.1:${port}`,
    port,
    dataDir,
    databaseUrl,
    secretId: TEST_SECRET_ID,
    secretKey: TEST_SECRET_KEY,
    huaweiProjectId: accounts.accounts[0]!.huaweiProjectId,
    proc,
    output: serve.output,
    admin,
    async advance(seconds) {
      await admin("POST", "/clock/advance", { seconds });
    },
    async createApp(products, name) {
      return (await admin<{ appId: string }>("POST", "/apps", { products, name })).appId;
    },
    async ingestKey(appId) {
      return (await admin<{ key: string }>("POST", "/ingest-keys", { appId })).key;
    },
    async workerCredential(appId, kinds) {
      return (await admin<{ credential: string }>("POST", "/worker-credentials", { appId, kinds })).credential;
    },
    async stop() {
      await serve.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    kill: serve.kill,
  };
  return server;
}
