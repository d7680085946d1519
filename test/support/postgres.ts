// A fresh PostgreSQL database per test (or per server), on the run's shared server.
import { createDatabase } from "./harness.ts";

export function postgresAvailable(): boolean {
  return Boolean(process.env.ROOMLEDGER_TEST_PG_URL);
}

export async function freshDatabase(): Promise<string> {
  const base = process.env.ROOMLEDGER_TEST_PG_URL;
  if (!base) throw new Error("no test PostgreSQL (ROOMLEDGER_TEST_PG_URL); run through npm test");
  return createDatabase(base);
}

export type Backend = "pglite" | "postgres";

/**
 * The backends a storage-dependent test runs against: PGlite always, PostgreSQL when the run
 * has one (npm test starts it). ROOMLEDGER_TEST_BACKENDS=pglite narrows the set explicitly.
 */
export function backends(): Backend[] {
  const only = process.env.ROOMLEDGER_TEST_BACKENDS;
  const all: Backend[] = postgresAvailable() ? ["pglite", "postgres"] : ["pglite"];
  return only ? all.filter((b) => only.split(",").includes(b)) : all;
}
