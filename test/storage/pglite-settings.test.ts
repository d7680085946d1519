// PGlite's start-up settings (src/storage/pglite.ts, pglite-memory-fs.ts): PostgreSQL's shared memory trimmed to the
// one single-user backend PGlite runs, and the time-zone files made only when looked up. Both
// are about the start's time; these check that what they trade away still works: the lock
// table's room for a large transaction, and every way PostgreSQL reads a time zone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IN_MEMORY_PGLITE_SHARED_BUFFERS, DEFAULT_PGLITE_SHARED_BUFFERS } from "../../src/config.ts";
import type { Db } from "../../src/storage/db.ts";
import { openPglite } from "../../src/storage/pglite.ts";
import { loadSnapshot } from "../../src/storage/snapshot.ts";
import { SOURCE_SNAPSHOT } from "../support/snapshot.ts";

const settings = (db: Db) =>
  db
    .query<Record<string, string>>(
      `select current_setting('shared_memory_size') as size, current_setting('max_connections') as connections,
              current_setting('max_wal_senders') as senders, current_setting('max_replication_slots') as slots,
              current_setting('autovacuum_worker_slots') as autovacuum`,
    )
    .then((r) => r.rows[0]!);

describe("PGlite's start-up settings", () => {
  const scratch = mkdtempSync(join(tmpdir(), "roomledger-pglite-settings-"));
  let memory: Db;
  // On disk PGlite's own file system (not the in-memory one the deferral of the time-zone files is part of).
  let disk: Db;
  before(async () => {
    memory = await openPglite(null, { sharedBuffers: IN_MEMORY_PGLITE_SHARED_BUFFERS, snapshot: () => loadSnapshot(SOURCE_SNAPSHOT) });
    disk = await openPglite(join(scratch, "data"), {
      sharedBuffers: DEFAULT_PGLITE_SHARED_BUFFERS,
      snapshot: () => loadSnapshot(SOURCE_SNAPSHOT),
    });
  });
  after(async () => {
    await memory?.close();
    await disk?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  test("in memory: shared memory for one backend, 4 MB in all", async () => {
    assert.deepEqual(await settings(memory), { size: "4MB", connections: "1", senders: "0", slots: "0", autovacuum: "1" });
  });

  test("a data directory gets the same trims, its shared_buffers kept", async () => {
    const s = await settings(disk);
    assert.deepEqual({ ...s, size: undefined }, { size: undefined, connections: "1", senders: "0", slots: "0", autovacuum: "1" });
    assert.equal(
      (await disk.query<{ b: string }>("select current_setting('shared_buffers') as b")).rows[0]!.b,
      DEFAULT_PGLITE_SHARED_BUFFERS,
    );
  });

  test("one transaction still holds thousands of locks (a reset, a query over a year of RTC partitions)", async () => {
    // 300 tables with their keys: ~1,500 locks in one transaction (the largest real one, a
    // reset with a year of RTC partitions, takes ~1,200). Measured limit: ~1,200 such tables.
    await memory
      .transaction(async (tx) => {
        await tx.exec(
          `do $$ begin for i in 1..300 loop execute format('create table lock_room_%s (id int primary key)', i); end loop; end $$`,
        );
        const { rows } = await tx.query<{ n: number }>("select count(*)::int as n from pg_locks");
        assert.ok(rows[0]!.n > 1_300, `locks held: ${rows[0]!.n}`);
        await tx.exec(`truncate ${Array.from({ length: 300 }, (_, i) => `lock_room_${i + 1}`).join(", ")}`);
        // Rolled back: nothing of it stays for the other tests.
        await tx.exec("select 1/0");
      })
      .catch((err: { code?: string }) => assert.equal(err.code, "22012", String(err)));
    assert.equal(
      (await memory.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename like 'lock_room_%'")).rows[0]!.n,
      0,
    );
  });

  test("time zones: set by name (any case), converted to, listed, refused when unknown; as with every file made at the start", async () => {
    const zones = async (db: Db) => {
      await db.query("set time zone 'Asia/Shanghai'");
      const { rows } = await db.query<Record<string, string>>(
        `select current_setting('TimeZone') as tz,
                to_char(timestamptz '2024-01-01 00:00+00', 'YYYY-MM-DD HH24:MI TZ') as shanghai,
                (timestamptz '2024-07-01 12:00+00' at time zone 'America/New_York')::text as new_york,
                (timestamptz '2024-07-01 12:00+00' at time zone 'america/argentina/buenos_aires')::text as buenos_aires,
                (select count(*) from pg_timezone_names)::text as names,
                (select string_agg(name, ',' order by name) from pg_timezone_names where name like 'Europe/Z%') as europe_z`,
      );
      await db.query("set time zone 'europe/paris'");
      const paris = (await db.query<{ tz: string }>("select current_setting('TimeZone') as tz")).rows[0]!.tz;
      const unknown = await db.query("set time zone 'No/Such_Zone'").then(
        () => "accepted",
        (e: { code?: string }) => e.code,
      );
      await db.query("set time zone 'UTC'");
      return { ...rows[0]!, paris, unknown } as Record<string, string | undefined>;
    };
    // In memory first: its zone files are made by these very lookups.
    const lazy = await zones(memory);
    const eager = await zones(disk);
    assert.deepEqual(eager, {
      tz: "Asia/Shanghai",
      shanghai: "2024-01-01 08:00 CST",
      new_york: "2024-07-01 08:00:00",
      buenos_aires: "2024-07-01 09:00:00",
      names: eager.names,
      europe_z: eager.europe_z,
      paris: "Europe/Paris",
      unknown: "22023",
    });
    assert.ok(Number(eager.names) > 500, `pg_timezone_names: ${eager.names}`);
    assert.match(eager.europe_z!, /Europe\/Zurich/);
    assert.deepEqual(lazy, eager);
  });
});
