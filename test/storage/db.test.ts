// The Db port's contract, on every backend: query, exec, transactions, int8 as number, the
// unique-violation SQLSTATE, and migrations applied once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backends } from "../support/postgres.ts";
import { openBackend } from "./open-backend.ts";
import { sqlState, UNIQUE_VIOLATION, type Db } from "../../src/storage/db.ts";
import { migrate } from "../../src/storage/migrate.ts";

for (const backend of backends()) {
  describe(`Db on ${backend}`, () => {
    let db: Db;
    before(async () => {
      db = (await openBackend(backend, { initdb: true })).db;
      await db.exec("create table kv (k text primary key, v bigint not null, n numeric); create table other (x int)");
    });
    after(() => db.close());

    test("capabilities name the adapter", () => {
      assert.equal(db.capabilities.name, backend);
      assert.equal(db.capabilities.multiProcess, backend === "postgres");
    });

    test("query with parameters; rowCount of insert/update/delete", async () => {
      const ins = await db.query("insert into kv (k, v) values ($1, $2), ($3, $4)", ["a", 1, "b", 2]);
      assert.equal(ins.rowCount, 2);
      const sel = await db.query<{ k: string; v: number }>("select k, v from kv where v >= $1 order by k", [1]);
      assert.deepEqual(sel.rows, [
        { k: "a", v: 1 },
        { k: "b", v: 2 },
      ]);
      assert.equal((await db.query("update kv set v = v + 1 where k = $1", ["a"])).rowCount, 1);
      assert.equal((await db.query("delete from kv where k = $1", ["nope"])).rowCount, 0);
      const arr = await db.query<{ k: string }>("select k from kv where k = any($1::text[]) order by k", [["a", "b", "z"]]);
      assert.deepEqual(
        arr.rows.map((r) => r.k),
        ["a", "b"],
      );
    });

    test("int8 and numeric come back as JS numbers (exact below 2^53)", async () => {
      const r = await db.query<{ big: unknown; cnt: unknown; num: unknown }>(
        "select 9007199254740991::bigint as big, count(*) as cnt, 12.5::numeric as num from kv",
      );
      assert.equal(r.rows[0]!.big, 9007199254740991);
      assert.equal(typeof r.rows[0]!.cnt, "number");
      assert.equal(r.rows[0]!.num, 12.5);
      await db.query("insert into kv (k, v) values ('max', $1)", [Number.MAX_SAFE_INTEGER]);
      const back = await db.query<{ v: number }>("select v from kv where k = 'max'");
      assert.equal(back.rows[0]!.v, Number.MAX_SAFE_INTEGER);
    });

    test("exec runs a script of several statements", async () => {
      await db.exec("insert into other values (1); insert into other values (2); update other set x = x * 10");
      const r = await db.query<{ s: number }>("select sum(x)::int as s from other");
      assert.equal(r.rows[0]!.s, 30);
    });

    test("transaction commits when fn resolves, and returns its value", async () => {
      const out = await db.transaction(async (tx) => {
        await tx.query("insert into kv (k, v) values ('t1', 1)");
        const inside = await tx.query("select 1 from kv where k = 't1'");
        assert.equal(inside.rows.length, 1);
        return "done";
      });
      assert.equal(out, "done");
      assert.equal((await db.query("select 1 from kv where k = 't1'")).rows.length, 1);
    });

    test("transaction rolls back when fn throws, and rethrows", async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query("insert into kv (k, v) values ('t2', 1)");
          await tx.exec("insert into other values (99)");
          throw new Error("boom");
        }),
        /boom/,
      );
      assert.equal((await db.query("select 1 from kv where k = 't2'")).rows.length, 0);
      assert.equal((await db.query("select 1 from other where x = 99")).rows.length, 0);
      // The connection is usable afterwards.
      assert.equal((await db.query<{ one: number }>("select 1 as one")).rows[0]!.one, 1);
    });

    test("a unique violation carries SQLSTATE 23505, in and out of transactions", async () => {
      await db.query("insert into kv (k, v) values ('u', 1)");
      const outside = await db.query("insert into kv (k, v) values ('u', 2)").catch((e: unknown) => e);
      assert.equal(sqlState(outside), UNIQUE_VIOLATION);
      const inside = await db
        .transaction(async (tx) => {
          await tx.query("insert into kv (k, v) values ('u2', 1)");
          await tx.query("insert into kv (k, v) values ('u', 3)");
        })
        .catch((e: unknown) => e);
      assert.equal(sqlState(inside), UNIQUE_VIOLATION);
      assert.equal((await db.query("select 1 from kv where k = 'u2'")).rows.length, 0);
      assert.equal(sqlState(new Error("plain")), undefined);
    });

    test("migrate applies each file once, in order", async () => {
      const dir = mkdtempSync(join(tmpdir(), "roomledger-mig-"));
      try {
        writeFileSync(join(dir, "001_first.sql"), "create table mig_a (x int);");
        writeFileSync(join(dir, "002_second.sql"), "insert into mig_a values (1);");
        writeFileSync(join(dir, "notes.txt"), "ignored");
        assert.deepEqual(await migrate(db, [{ component: "ct", dir }], () => 0), ["ct/001_first.sql", "ct/002_second.sql"]);
        assert.deepEqual(await migrate(db, [{ component: "ct", dir }], () => 0), []);
        writeFileSync(join(dir, "003_bad.sql"), "insert into mig_a values (2); select nonsense_fn();");
        await assert.rejects(migrate(db, [{ component: "ct", dir }], () => 0));
        // A failed migration leaves nothing behind and is retried next time.
        assert.equal((await db.query("select count(*) as n from mig_a")).rows[0]!.n, 1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
