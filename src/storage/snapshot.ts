// A database with every migration applied, dumped at build time (snapshot-build.ts, run by
// `npm pack`) beside the built modules: a new PGlite database (in memory, or a new data
// directory) starts from it instead of a new cluster. That skips PGlite's initdb (its own
// WASM program, run for every new cluster), the largest part of a cold start, and the
// migrations, a small one (`npm run bench -- cold-start` times each). migrate() still runs on it and applies
// whatever the snapshot lacks, so a stale or absent snapshot costs time, never correctness.
// Running from the TypeScript sources (a clone), there is none: migrations run as before.
//
// Loading it costs in proportion to its unpacked size (its files are written into PGlite's
// file system at every start), so the build keeps it small: 42 MB as initdb leaves a cluster,
// 11 MB here.
// - WAL segments of 1 MB (initdb --wal-segsize) instead of 16 MB: a checkpointed cluster
//   keeps a few whole segments, mostly zeros. Fewer bytes per segment also means more
//   segment switches under heavy writes; PGlite runs without fsync, so they are cheap.
// - No template0 and template1 databases (7.4 MB each): they only serve CREATE DATABASE,
//   which roomledger never runs (one database, "postgres"). A cluster made by initdb (a
//   clone, which has no snapshot) keeps them.
// - Dumped after a clean shutdown (pg_control "shut down", its shutdown checkpoint last in the
//   WAL): a start from it runs no crash recovery and no end-of-recovery checkpoint, as a dump
//   of the running cluster made every start do (~20 ms of a cold start, mostly V8 compiling
//   that code at its first call). The build writes the archive itself (tar.ts): PGlite dumps
//   only a running database.
// - Only the WAL segment that checkpoint is in: the others are old ones PostgreSQL recycled
//   under future names, mostly zeros, which it makes again when it needs them.
//
// A start reads it in two steps, so that the slow one runs beside the server's own start:
// prefetchSnapshot() reads and inflates it on libuv's threads (bin/roomledger.js starts it before
// loading the command line: early-start.ts);
// migratedSnapshot() then takes it, parsed (tar.ts), for openPglite() to write out.
import { existsSync, readFileSync } from "node:fs";
import { gunzip } from "node:zlib";
import { readTar, type TarEntries } from "./tar.ts";

export const SNAPSHOT_FILE = "migrated.tar.gz";
const snapshotUrl = new URL(`./${SNAPSHOT_FILE}`, import.meta.url);

/** The archive's entry (not a file of the data directory) listing the snapshot's migrations (migrationKeys, one a line). */
export const MIGRATIONS_ENTRY = "roomledger-migrations";
/** The archive's entry (not a file of the data directory) holding the snapshot's array types (JSON). */
export const ARRAY_TYPES_ENTRY = "roomledger-array-types";

/**
 * A PostgreSQL array type: the oid of its element type and its own. PGlite reads these from
 * pg_type at every start (its _initArrayTypes, the first query a new database runs, ~50 ms of
 * it) to parse and serialize arrays; the snapshot's catalog has exactly these.
 */
export interface ArrayType {
  oid: number;
  typarray: number;
}

/**
 * A migrated data directory: its directories and files, relative to PGDATA; the migrations it
 * was built with and its array types (each null: unknown, e.g. in a dump PGlite made).
 */
export type Snapshot = TarEntries & { migrations: string[] | null; arrayTypes: ArrayType[] | null };

let prefetched: Promise<Snapshot | null> | null = null;

/** Starts reading and inflating the build's snapshot; the next migratedSnapshot() takes it. */
export function prefetchSnapshot(): void {
  prefetched ??= loadSnapshot();
  // Taken later, or never (another error path); a failure is seen by whoever takes it.
  prefetched.catch(() => {});
}

/** Lets go of a prefetched snapshot that no database will be made from (its memory with it). */
export function discardPrefetchedSnapshot(): void {
  prefetched = null;
}

/**
 * The build's snapshot, or null (the sources, or a build without one). Each call gets a copy
 * of its own: a database started from it writes into its files' memory (pglite.ts).
 */
export function migratedSnapshot(): Promise<Snapshot | null> {
  const taken = prefetched ?? loadSnapshot();
  prefetched = null;
  return taken;
}

/**
 * Takes a snapshot read and inflated elsewhere (the early start's thread: early-start.ts);
 * the next migratedSnapshot() takes it.
 */
export function adoptSnapshot(snapshot: Promise<Snapshot | null>): void {
  prefetched ??= snapshot;
  prefetched.catch(() => {});
}

/** The build's snapshot file: where the early start's thread reads it. */
export const snapshotFileUrl = snapshotUrl.href;

/** A snapshot file (gzip tar), parsed; null when there is none. */
export async function loadSnapshot(file: URL | string = snapshotUrl): Promise<Snapshot | null> {
  if (!existsSync(file)) return null;
  // Read at once (~2 MB): an asynchronous read waits between its pieces for a main thread that
  // is busy loading modules at that moment (pglite-wasm.ts).
  return parseSnapshot(await inflateSnapshot(readFileSync(file)));
}

/**
 * A snapshot file's bytes (gzip) inflated, on libuv's threads. gzip's last four bytes are the
 * inflated size (mod 2^32): one output chunk of exactly that size means no concatenation
 * afterwards (zlib's default 16 KB chunks cost a copy of the whole and ~700 round trips to the
 * calling thread).
 */
export function inflateSnapshot(gz: Buffer): Promise<Buffer> {
  const size = gz.readUInt32LE(gz.length - 4);
  return new Promise<Buffer>((resolve, reject) =>
    gunzip(gz, { chunkSize: Math.max(size, 64 * 1024) }, (err, out) => (err ? reject(err) : resolve(out))),
  );
}

/** The inflated archive, parsed: its files are views into `tar`. */
export function parseSnapshot(tar: Uint8Array): Snapshot {
  const { dirs, files } = readTar(tar);
  const entry = (name: string) => {
    const found = files.find((f) => f.path === name);
    return found ? Buffer.from(found.data).toString("latin1") : null;
  };
  const migrations = entry(MIGRATIONS_ENTRY);
  const arrayTypes = entry(ARRAY_TYPES_ENTRY);
  return {
    dirs,
    files: files.filter((f) => f.path !== MIGRATIONS_ENTRY && f.path !== ARRAY_TYPES_ENTRY),
    migrations: migrations === null ? null : migrations.split("\n").filter(Boolean),
    arrayTypes: arrayTypes === null ? null : (JSON.parse(arrayTypes) as ArrayType[]),
  };
}
