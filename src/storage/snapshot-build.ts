// Builds the migrated snapshot (snapshot.ts says what it is for and why it is shaped so), at
// build time only: scripts/build.ts writes it beside the built modules as SNAPSHOT_FILE.
import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { migrate, migrationKeys, type MigrationSource } from "./migrate.ts";
import { pgliteDb, pgliteStartParams } from "./pglite.ts";
import { ARRAY_TYPES_ENTRY, MIGRATIONS_ENTRY, type ArrayType } from "./snapshot.ts";

/** Applies these migrations to a new in-memory database and dumps it (gzip tar). */
export async function buildSnapshot(sources: readonly MigrationSource[], now: () => number): Promise<Uint8Array> {
  // The settings every start uses (pglite.ts): its pg_control then records the same ones.
  const pg = await PGlite.create({ initDbStartParams: ["--wal-segsize=1"], startParams: pgliteStartParams() });
  try {
    await migrate(pgliteDb(pg), sources, now);
    // One statement per call: DROP DATABASE refuses to run inside a transaction block.
    for (const template of ["template0", "template1"]) {
      await pg.exec(`alter database ${template} is_template false`);
      await pg.exec(`drop database ${template}`);
    }
    await pg.exec("checkpoint");
    const { rows } = await pg.query<{ redo: string }>("select redo_wal_file as redo from pg_control_checkpoint()");
    const wal = `${PGlite.paths.PGDATA}/pg_wal`;
    for (const name of pg.Module.FS.readdir(wal) as string[]) {
      if (/^[0-9A-F]{24}$/.test(name) && name !== rows[0]!.redo) pg.Module.FS.unlink(`${wal}/${name}`);
    }
    // Which migrations it holds, so that a start from it can skip migrate()'s checks when the
    // code's are among them (loadSnapshot() takes this entry out again).
    pg.Module.FS.writeFile(`${PGlite.paths.PGDATA}/${MIGRATIONS_ENTRY}`, `${migrationKeys(sources).join("\n")}\n`);
    // And its array types, read as PGlite reads them (pglite.ts), after the last migration.
    pg.Module.FS.writeFile(`${PGlite.paths.PGDATA}/${ARRAY_TYPES_ENTRY}`, JSON.stringify(await arrayTypes(pg)));
    const tar = new Uint8Array(await (await pg.dumpDataDir("none")).arrayBuffer());
    return gzipSync(tar, { level: 9 });
  } finally {
    await pg.close();
  }
}

/** The database's array types: PGlite's own query (its _initArrayTypes, @electric-sql/pglite 0.5). */
export async function arrayTypes(pg: PGlite): Promise<ArrayType[]> {
  const { rows } = await pg.query<ArrayType>(
    `select b.oid, b.typarray from pg_catalog.pg_type a left join pg_catalog.pg_type b on b.oid = a.typelem
      where a.typcategory = 'A' group by b.oid, b.typarray order by b.oid`,
  );
  return rows;
}
