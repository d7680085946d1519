// A database with every migration applied, dumped at build time (scripts/build.ts, run by
// `npm pack`) beside the built modules: a new PGlite database (in memory, or a new data
// directory) starts from it instead of a new cluster. That skips PGlite's initdb (its own
// WASM program, run for every new cluster), the largest part of a cold start, and the
// migrations, a small one (`npm run bench -- cold-start` times each). migrate() still runs on it and applies
// whatever the snapshot lacks, so a stale or absent snapshot costs time, never correctness.
// Running from the TypeScript sources (a clone), there is none: migrations run as before.
import { existsSync, readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { migrate, type MigrationSource } from "./migrate.ts";
import { pgliteDb } from "./pglite.ts";

export const SNAPSHOT_FILE = "migrated.tar.gz";
const snapshotUrl = new URL(`./${SNAPSHOT_FILE}`, import.meta.url);

/** The build's snapshot, or null (sources, or a build without one). */
export function migratedSnapshot(): Blob | null {
  return existsSync(snapshotUrl) ? new Blob([readFileSync(snapshotUrl)]) : null;
}

/** Applies these migrations to a new in-memory database and dumps it (gzip tar). */
export async function buildSnapshot(sources: readonly MigrationSource[], now: () => number): Promise<Uint8Array> {
  const pg = await PGlite.create();
  try {
    await migrate(pgliteDb(pg), sources, now);
    return new Uint8Array(await (await pg.dumpDataDir("gzip")).arrayBuffer());
  } finally {
    await pg.close();
  }
}
