// A database with every migration applied, dumped at build time (scripts/build.ts, run by
// `npm pack`) beside the built modules: a new PGlite database (in memory, or a new data
// directory) starts from it instead of a new cluster. That skips PGlite's initdb (its own
// WASM program, run for every new cluster), the largest part of a cold start, and the
// migrations, a small one (`npm run bench -- cold-start` times each). migrate() still runs on it and applies
// whatever the snapshot lacks, so a stale or absent snapshot costs time, never correctness.
// Running from the TypeScript sources (a clone), there is none: migrations run as before.
//
// Loading it costs in proportion to its unpacked size (PGlite untars it into its file system
// at every start), so the build keeps it small: 42 MB as initdb leaves a cluster, 16 MB here.
// - WAL segments of 1 MB (initdb --wal-segsize) instead of 16 MB: a checkpointed cluster
//   keeps a few whole segments, mostly zeros. Fewer bytes per segment also means more
//   segment switches under heavy writes; PGlite runs without fsync, so they are cheap.
// - No template0 and template1 databases (7.4 MB each): they only serve CREATE DATABASE,
//   which roomledger never runs (one database, "postgres"). A cluster made by initdb (a
//   clone, which has no snapshot) keeps them.
// - A CHECKPOINT before the dump: the dump is of a running cluster, so every start from it
//   runs crash recovery from the last checkpoint; right after one, there is nothing to replay.
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { migrate, type MigrationSource } from "./migrate.ts";
import { pgliteDb } from "./pglite.ts";

export const SNAPSHOT_FILE = "migrated.tar.gz";
const snapshotUrl = new URL(`./${SNAPSHOT_FILE}`, import.meta.url);

/**
 * A tar archive in memory handed to PGlite's loadDataDir, which only reads it whole through
 * arrayBuffer(). Node's own Blob copies the bytes in, then back out through a chunked
 * reader: 0.35 s of CPU for 16 MB on the bench machine, against none here. Only
 * arrayBuffer() and type are PGlite's to read; the rest is an empty Blob's.
 */
class TarBytes extends Blob {
  readonly #bytes: ArrayBuffer;
  constructor(bytes: Uint8Array) {
    super([], { type: "application/x-tar" });
    // gunzipSync's result owns its memory; a view into a larger buffer is copied out.
    this.#bytes =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.slice().buffer as ArrayBuffer);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.#bytes);
  }
}

/** The build's snapshot as an uncompressed tar, or null (sources, or a build without one). */
export function migratedSnapshot(): Blob | null {
  // zlib here rather than in PGlite, which inflates through web streams, several times slower.
  return existsSync(snapshotUrl) ? new TarBytes(gunzipSync(readFileSync(snapshotUrl))) : null;
}

/** Applies these migrations to a new in-memory database and dumps it (gzip tar). */
export async function buildSnapshot(sources: readonly MigrationSource[], now: () => number): Promise<Uint8Array> {
  const pg = await PGlite.create({ initDbStartParams: ["--wal-segsize=1"] });
  try {
    await migrate(pgliteDb(pg), sources, now);
    // One statement per call: DROP DATABASE refuses to run inside a transaction block.
    for (const template of ["template0", "template1"]) {
      await pg.exec(`alter database ${template} is_template false`);
      await pg.exec(`drop database ${template}`);
    }
    await pg.exec("checkpoint");
    return new Uint8Array(await (await pg.dumpDataDir("gzip")).arrayBuffer());
  } finally {
    await pg.close();
  }
}
