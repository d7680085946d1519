// The migrated snapshot a new embedded database starts from (src/storage/snapshot.ts), and the
// reader of the archives PGlite dumps (src/storage/tar.ts). The archive here is PGlite's own
// dump of the test run's migrated template (test/support/global-setup.ts), so the reader is
// checked against the real producer, file by file.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { PGlite } from "@electric-sql/pglite";
import { migrate, migrationKeys } from "../../src/storage/migrate.ts";
import { openPglite } from "../../src/storage/pglite.ts";
import { deferredDb } from "../../src/storage/deferred-db.ts";
import type { Db } from "../../src/storage/db.ts";
import { ARRAY_TYPES_ENTRY, loadSnapshot, MIGRATIONS_ENTRY, type Snapshot } from "../../src/storage/snapshot.ts";
import { buildSnapshot } from "../../src/storage/snapshot-build.ts";
import { readTar, TarError, writeTar } from "../../src/storage/tar.ts";
import { PGLITE_TEMPLATE_VAR } from "../support/server.ts";

const BLOCK = 512;

/** The offset just past the first `n` entries of a ustar archive. */
function pastEntries(archive: Uint8Array, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) {
    const size = Number.parseInt(
      new TextDecoder()
        .decode(archive.subarray(at + 124, at + 136))
        .replace(/\0.*$/, "")
        .trim(),
      8,
    );
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return at;
}

/** Rewrites an entry's name and its header checksum (the reader checks the checksum first). */
function renamed(archive: Uint8Array, at: number, name: string): Uint8Array {
  const out = archive.slice();
  out.fill(0, at, at + 100);
  out.set(new TextEncoder().encode(name), at);
  out.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = at; i < at + BLOCK; i++) sum += out[i]!;
  out.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), at + 148);
  return out;
}

describe("migrated snapshot", () => {
  const scratch = mkdtempSync(join(tmpdir(), "roomledger-snapshot-"));
  let archive: Uint8Array; // PGlite's dump of the migrated template, uncompressed
  let inFs: Map<string, Uint8Array>; // what PGlite's file system held when it dumped
  let dirsInFs: string[];
  let migrations: number;
  const snapshotFile = join(scratch, "migrated.tar.gz");

  before(async () => {
    const template = process.env[PGLITE_TEMPLATE_VAR];
    assert.ok(template, "the test set-up makes a migrated template");
    cpSync(join(template, "pgdata"), join(scratch, "template"), { recursive: true });
    const pg = await PGlite.create(join(scratch, "template"));
    try {
      migrations = (await pg.query<{ n: number }>("select count(*)::int as n from schema_migrations")).rows[0]!.n;
      archive = new Uint8Array(await (await pg.dumpDataDir("none")).arrayBuffer());
      // Read right after the dump, before anything else runs on the database.
      const fs = pg.Module.FS;
      const root = PGlite.paths.PGDATA;
      inFs = new Map();
      dirsInFs = [];
      const walk = (rel: string) => {
        for (const name of fs.readdir(`${root}/${rel}`) as string[]) {
          if (name === "." || name === "..") continue;
          const path = rel ? `${rel}/${name}` : name;
          if (fs.isDir(fs.stat(`${root}/${path}`).mode)) {
            dirsInFs.push(path);
            walk(path);
          } else inFs.set(path, fs.readFile(`${root}/${path}`) as Uint8Array);
        }
      };
      walk("");
    } finally {
      await pg.close();
    }
    writeFileSync(snapshotFile, gzipSync(archive));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test("readTar gives back PGlite's own dump, file by file", () => {
    const { dirs, files } = readTar(archive);
    assert.ok(files.length > 100, `a data directory has hundreds of files, got ${files.length}`);
    assert.deepEqual([...dirs].sort(), [...dirsInFs].sort());
    assert.deepEqual(files.map((f) => f.path).sort(), [...inFs.keys()].sort());
    for (const f of files) assert.ok(Buffer.from(f.data).equals(Buffer.from(inFs.get(f.path)!)), `${f.path} differs`);
    // A parent directory always comes before what it holds: the writers create them in order.
    for (const [i, d] of dirs.entries()) if (d.includes("/")) assert.ok(dirs.indexOf(d.slice(0, d.lastIndexOf("/"))) < i, d);
  });

  test("readTar refuses a path that leaves the directory, and a damaged header", () => {
    assert.throws(() => readTar(renamed(archive, 0, "../escape")), TarError);
    assert.throws(() => readTar(renamed(archive, 0, "/base/../../escape")), TarError);
    const damaged = archive.slice();
    damaged[10] = damaged[10]! ^ 0xff;
    assert.throws(() => readTar(damaged), /damaged header/);
    assert.throws(() => readTar(archive.subarray(0, pastEntries(archive, 3))), /end-of-archive/);
  });

  test("readTar on arbitrary damage: entries inside the directory, or a TarError, never anything else", () => {
    // A small archive of PGlite's first entries (the whole one is tens of MB), then damage.
    const small = new Uint8Array(pastEntries(archive, 12) + 2 * BLOCK);
    small.set(archive.subarray(0, pastEntries(archive, 12)));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(small.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (edits) => {
        const bytes = small.slice();
        for (const [at, value] of edits) bytes[at] = value;
        try {
          const { dirs, files } = readTar(bytes);
          for (const p of [...dirs, ...files.map((f) => f.path)]) {
            assert.ok(!p.startsWith("/") && !p.split("/").includes(".."), p);
          }
        } catch (err) {
          assert.ok(err instanceof TarError, String(err));
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a database in memory from the snapshot has every migration and takes writes", async () => {
    const snapshot = await loadSnapshot(snapshotFile);
    assert.ok(snapshot);
    const db = await openPglite(null, { sharedBuffers: "8MB", snapshot: async () => snapshot });
    try {
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from schema_migrations");
      assert.equal(rows[0]!.n, migrations);
      await db.exec("create table t (x int); insert into t values (42)");
      assert.deepEqual((await db.query("select x from t")).rows, [{ x: 42 }]);
    } finally {
      await db.close();
    }
    // Each load is a copy of its own: the database above wrote into its files' memory. This one
    // arrives after PGlite's instance is made (as from the early start's thread, which inflates
    // it last): PGlite's file system waits for it, and the database is still the snapshot's.
    const late = () => new Promise((r) => setTimeout(r, 400)).then(() => loadSnapshot(snapshotFile));
    const again = await openPglite(null, { sharedBuffers: "8MB", snapshot: late });
    try {
      const { rows } = await again.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename = 't'");
      assert.equal(rows[0]!.n, 0);
      assert.equal((await again.query<{ n: number }>("select count(*)::int as n from schema_migrations")).rows[0]!.n, migrations);
    } finally {
      await again.close();
    }
  });

  test("the server's embedded database before it is open (deferredDb): calls wait for it, then go straight through", async () => {
    let open!: (db: Db) => void;
    const d = deferredDb(new Promise<Db>((r) => (open = r)), { multiProcess: false, name: "pglite" });
    assert.equal(d.capabilities.name, "pglite");
    const early = d.query<{ x: number }>("select 41 + $1::int as x", [1]);
    const tx = d.transaction(async (q) => (await q.query<{ n: number }>("select count(*)::int as n from schema_migrations")).rows[0]!.n);
    let settled = false;
    void early.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, "a query before the database is open waits for it");
    assert.equal(d.migrations, undefined);
    const real = await openPglite(null, { sharedBuffers: "8MB", snapshot: () => loadSnapshot(snapshotFile) });
    try {
      open(real);
      assert.deepEqual((await early).rows, [{ x: 42 }]);
      assert.equal(await tx, migrations);
      assert.deepEqual(d.migrations, real.migrations);
      assert.deepEqual((await d.query("select 1 as one")).rows, [{ one: 1 }]);
    } finally {
      await d.close();
    }
    await assert.rejects(real.query("select 1"), "closing it closed the database");
    // A database that failed to open: each call gets its error, close too.
    const failed = deferredDb(Promise.reject(new Error("cannot open")), { multiProcess: false, name: "pglite" });
    await assert.rejects(failed.query("select 1"), /cannot open/);
    await assert.rejects(failed.exec("select 1"), /cannot open/);
    await assert.rejects(failed.close(), /cannot open/);
  });

  test("a snapshot that cannot be read fails the start in memory with its own error", async () => {
    const damaged = () => new Promise((r) => setTimeout(r, 100)).then(() => Promise.reject(new Error("snapshot damaged")));
    await assert.rejects(openPglite(null, { sharedBuffers: "8MB", snapshot: damaged }), /snapshot damaged/);
  });

  test("a new data directory is written from the snapshot once; a restart does not take it", async () => {
    const dir = join(scratch, "data");
    let taken = 0;
    const snapshot = async (): Promise<Snapshot | null> => {
      taken++;
      return loadSnapshot(snapshotFile);
    };
    const db = await openPglite(dir, { snapshot });
    try {
      assert.ok(existsSync(join(dir, "PG_VERSION")));
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from schema_migrations");
      assert.equal(rows[0]!.n, migrations);
      await db.exec("create table kept (x int); insert into kept values (7)");
    } finally {
      await db.close();
    }
    const reopened = await openPglite(dir, { snapshot });
    try {
      assert.deepEqual((await reopened.query("select x from kept")).rows, [{ x: 7 }]);
    } finally {
      await reopened.close();
    }
    assert.equal(taken, 1);
  });

  test("writeTar: readTar gives back what it wrote, and GNU tar reads it as the same tree", () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,50}$/).filter((x) => x !== "." && x !== "..");
    const path = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("/"));
    fc.assert(
      fc.property(
        fc.uniqueArray(path, { maxLength: 6 }),
        fc.uniqueArray(fc.tuple(path, fc.uint8Array({ maxLength: 1500 })), { maxLength: 6, selector: ([p]) => p }),
        (dirs, files) => {
          const entries = { dirs, files: files.filter(([p]) => !dirs.includes(p)).map(([p, data]) => ({ path: p, data })) };
          const back = readTar(writeTar(entries));
          assert.deepEqual(back.dirs, entries.dirs);
          assert.deepEqual(
            back.files.map((f) => [f.path, Buffer.from(f.data).toString("hex")]),
            entries.files.map((f) => [f.path, Buffer.from(f.data).toString("hex")]),
          );
        },
      ),
      { numRuns: 200 },
    );
    // PGlite's own dump written again: the system's tar lists the same entries.
    const { dirs, files } = readTar(archive);
    const file = join(scratch, "written.tar");
    writeFileSync(file, writeTar({ dirs, files }));
    const listed = execFileSync("tar", ["-tf", file], { encoding: "utf8", maxBuffer: 1 << 24 })
      .split("\n")
      .filter(Boolean);
    assert.deepEqual(listed, [...dirs.map((d) => `${d}/`), ...files.map((f) => f.path)]);
    assert.throws(() => writeTar({ dirs: ["../out"], files: [] }), TarError);
    // A prefix longer than readTar reads back (131 characters) is refused, not cut short.
    const deep = `${"d".repeat(60)}/${"e".repeat(79)}/f`;
    assert.deepEqual(readTar(writeTar({ dirs: [deep.slice(0, 131)], files: [] })).dirs, [deep.slice(0, 131)]);
    assert.throws(() => writeTar({ dirs: [deep], files: [] }), TarError);
  });

  test("a start from a built snapshot skips migrate()'s checks only while the code's migrations are among the snapshot's", async () => {
    const dir = join(scratch, "migrations");
    const devOnly = join(scratch, "migrations-dev");
    mkdirSync(dir);
    mkdirSync(devOnly);
    writeFileSync(join(dir, "001_first.sql"), "create table first (x int); create type mood as enum ('sad', 'ok');");
    writeFileSync(join(devOnly, "001_dev.sql"), "create table dev (x int);");
    const file = join(scratch, "built.tar.gz");
    writeFileSync(
      file,
      await buildSnapshot(
        [
          { component: "t", dir },
          { component: "dev", dir: devOnly },
        ],
        () => 1,
      ),
    );
    const built = await loadSnapshot(file);
    assert.ok(built);
    assert.deepEqual(built.migrations, ["t/1", "dev/1"]);
    assert.ok(!built.files.some((f) => f.path === MIGRATIONS_ENTRY || f.path === ARRAY_TYPES_ENTRY), "no file of the data directory");
    // Taken after a clean shutdown: pg_control's state (byte 16) is 1, "shut down", so a start
    // from it runs no crash recovery; and only the WAL segment of that last checkpoint is kept.
    const control = built.files.find((f) => f.path === "global/pg_control")!.data;
    assert.equal(new DataView(control.buffer, control.byteOffset).getUint32(16, true), 1);
    assert.equal(built.files.filter((f) => f.path.startsWith("pg_wal/") && !f.path.includes("/", 7)).length, 1);
    // The code's migrations are among the snapshot's (a server without the development-only
    // product): migrate() asks the database nothing. Its record emptied first, so that a check
    // would show (it would apply 001 again, and fail on the existing table).
    const sources = [{ component: "t", dir }];
    const same = await openPglite(null, { snapshot: async () => built });
    try {
      // Arrays go both ways without PGlite having read pg_type at this start.
      const { rows } = await same.query("select $1::int8[] as a, $2::text[] as b, $3::mood[] as c", [[1, 2], ["x", "y,z"], ["sad"]]);
      assert.deepEqual(rows, [{ a: [1, 2], b: ["x", "y,z"], c: ["sad"] }]);
      // The snapshot's array types are PGlite's query's, the type a migration made included.
      const types = await same.query<{ oid: number; typarray: number }>(
        "select oid::int, typarray::int from pg_type where typname in ('int8', 'text', 'mood') order by typname",
      );
      for (const t of types.rows)
        assert.ok(
          built.arrayTypes!.some((a) => a.oid === t.oid && a.typarray === t.typarray),
          JSON.stringify(t),
        );
      assert.equal(types.rows.length, 3);
      assert.deepEqual(same.migrations, ["t/1", "dev/1"]);
      await same.exec("delete from schema_migrations");
      assert.deepEqual(await migrate(same, sources, () => 2), []);
    } finally {
      await same.close();
    }
    // One more in the code: the checks run, and only the new one is applied.
    writeFileSync(join(dir, "002_second.sql"), "create table second (x int);");
    assert.deepEqual(migrationKeys(sources), ["t/1", "t/2"]);
    const more = await openPglite(null, { snapshot: () => loadSnapshot(file) });
    try {
      assert.deepEqual(await migrate(more, sources, () => 2), ["t/002_second.sql"]);
      assert.equal((await more.query("select count(*)::int as n from schema_migrations")).rows[0]!.n, 3);
    } finally {
      await more.close();
    }
    // A dump without them (PGlite's own, as in the tests above): no skipping, PGlite reads pg_type.
    const dump = await loadSnapshot(snapshotFile);
    assert.equal(dump!.migrations, null);
    assert.equal(dump!.arrayTypes, null);
  });

  test("no snapshot file: null, and the database is made the slow way", async () => {
    assert.equal(await loadSnapshot(join(scratch, "absent.tar.gz")), null);
  });
});
