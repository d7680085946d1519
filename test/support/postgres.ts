// A fresh PostgreSQL database per test (or per server), on the run's shared server.
import { describe } from "node:test";
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

/**
 * One describe per backend (see backends()), named `${name} (${backend})`, run side by side
 * under a parent describe named `name`. For files whose tests mostly wait (leases, listener
 * timeouts, restarts): each backend has its own server and shares nothing with the other, so
 * the file takes about the longer backend's time instead of the sum of both. The tests within
 * a backend still run one after another, in order (concurrency 1: node:test's children inherit
 * their parent's concurrency, and these tests build on each other and share their server).
 */
export function describeBackendsSideBySide(name: string, fn: (backend: Backend) => void): void {
  describe(name, { concurrency: true }, () => {
    for (const backend of backends()) describe(`${name} (${backend})`, { concurrency: 1 }, () => fn(backend));
  });
}
