// Builds the migrated snapshot (snapshot.ts says what it is for and why it is shaped so), at
// build time only: scripts/build.ts writes it beside the built modules as SNAPSHOT_FILE.
import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { migrate, migrationKeys, type MigrationSource } from "./migrate.ts";
import { pgliteDb, pgliteStartParams } from "./pglite.ts";
import { ARRAY_TYPES_ENTRY, MIGRATIONS_ENTRY, type ArrayType } from "./snapshot.ts";
import { writeTar, type TarEntries } from "./tar.ts";

/** Applies these migrations to a new in-memory database and dumps it (gzip tar). */
export async function buildSnapshot(sources: readonly MigrationSource[], now: () => number): Promise<Uint8Array> {
  // The settings every start uses (pglite.ts): its pg_control then records the same ones.
  const pg = await PGlite.create({ initDbStartParams: ["--wal-segsize=1"], startParams: pgliteStartParams() });
  let closed = false;
  try {
    await migrate(pgliteDb(pg), sources, now);
    // One statement per call: DROP DATABASE refuses to run inside a transaction block.
    for (const template of ["template0", "template1"]) {
      await pg.exec(`alter database ${template} is_template false`);
      await pg.exec(`drop database ${template}`);
    }
    // Which migrations it holds, so that a start from it can skip migrate()'s checks when the
    // code's are among them (loadSnapshot() takes this entry out again), and its array types,
    // read as PGlite reads them (pglite.ts), after the last migration.
    const extra = [
      { path: MIGRATIONS_ENTRY, data: Buffer.from(`${migrationKeys(sources).join("\n")}\n`) },
      { path: ARRAY_TYPES_ENTRY, data: Buffer.from(JSON.stringify(await arrayTypes(pg))) },
    ];
    // Dumped after a clean shutdown (its shutdown checkpoint; pg_control says "shut down"), so
    // that a start from it runs no crash recovery and no end-of-recovery checkpoint. PGlite's
    // memory file system outlives the database it served: read from there.
    const fs = pg.Module.FS;
    await pg.close();
    closed = true;
    const data = readDataDir(fs, PGlite.paths.PGDATA);
    return gzipSync(writeTar({ dirs: data.dirs, files: [...data.files, ...extra] }), { level: 9 });
  } finally {
    if (!closed) await pg.close();
  }
}

type MemoryFs = PGlite["Module"]["FS"];

/**
 * A shut-down data directory's directories and files (relative paths, parents first), with
 * only the WAL segment its last checkpoint is in: the others are old ones PostgreSQL recycled
 * under future names, mostly zeros or stale, which it makes again when it needs them.
 */
function readDataDir(fs: MemoryFs, root: string): TarEntries {
  const out: TarEntries = { dirs: [], files: [] };
  const walk = (rel: string) => {
    for (const name of (fs.readdir(`${root}/${rel}`) as string[]).sort()) {
      if (name === "." || name === "..") continue;
      const path = rel ? `${rel}/${name}` : name;
      if (fs.isDir(fs.stat(`${root}/${path}`).mode)) {
        out.dirs.push(path);
        walk(path);
      } else out.files.push({ path, data: fs.readFile(`${root}/${path}`) as Uint8Array });
    }
  };
  walk("");
  const segment = checkpointSegment(out.files.find((f) => f.path === "global/pg_control")!.data);
  const wal = out.files.filter((f) => /^pg_wal\/[0-9A-F]{24}$/.test(f.path));
  const kept = wal.filter((f) => f.path.endsWith(segment));
  if (kept.length !== 1) throw new Error(`snapshot: no single WAL segment ${segment} among ${wal.map((f) => f.path).join(", ")}`);
  return { dirs: out.dirs, files: out.files.filter((f) => !wal.includes(f) || f === kept[0]) };
}

/**
 * The last 16 hex digits of the name of the WAL segment (1 MB, initdb --wal-segsize=1) that
 * holds the last checkpoint, from pg_control (PostgreSQL 18's ControlFileData: its version at
 * byte 8, the state at 16, the checkpoint's location at 32, little-endian as WebAssembly is);
 * a shut-down database's only, as the build makes it.
 */
function checkpointSegment(control: Uint8Array): string {
  const view = new DataView(control.buffer, control.byteOffset, control.byteLength);
  const version = view.getUint32(8, true);
  const state = view.getUint32(16, true);
  if (version !== 1800 || state !== 1 /* DB_SHUTDOWNED */)
    throw new Error(`snapshot: pg_control version ${version}, state ${state}: not a shut-down PostgreSQL 18 database`);
  const segno = view.getBigUint64(32, true) >> 20n;
  const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, "0");
  // 4,096 segments of 1 MB per 4 GB "log id".
  return `${hex(segno / 4096n)}${hex(segno % 4096n)}`;
}

/** The database's array types: PGlite's own query (its _initArrayTypes, @electric-sql/pglite 0.5). */
export async function arrayTypes(pg: PGlite): Promise<ArrayType[]> {
  const { rows } = await pg.query<ArrayType>(
    `select b.oid, b.typarray from pg_catalog.pg_type a left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid`,
  );
  return rows;
}
