// The storage seam: the rate limiters' table comes from a migration (not from the library at
// run time), the shared pool is a capability of the Db port (PostgreSQL only), and PGlite
// refuses at once, with a clear error, a query on its root connection from inside a
// transaction that holds its one connection (which would otherwise hang for ever), while
// other work still just queues behind the transaction.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { backends } from "../support/postgres.ts";
import { openBackend } from "./open-backend.ts";
import type { Db } from "../../src/storage/db.ts";
import { RootConnectionInTransactionError } from "../../src/storage/pglite.ts";

for (const backend of backends()) {
  describe(`storage seam on ${backend}`, () => {
    let db: Db;
    before(async () => {
      db = (await openBackend(backend)).db;
    });
    after(() => db.close());

    test("rate_limits exists after the platform migrations, in the limiter's shape", async () => {
      const cols = await db.query<{ column_name: string; data_type: string }>(
        "select column_name, data_type from information_schema.columns where table_name = 'rate_limits' order by ordinal_position",
      );
      assert.deepEqual(
        cols.rows.map((c) => `${c.column_name}:${c.data_type}`),
        ["key:character varying", "points:integer", "expire:bigint"],
      );
    });

    test("the shared pool is a capability: present exactly where several processes share the database", () => {
      assert.equal(db.capabilities.sharedPool !== undefined, db.capabilities.multiProcess);
    });
  });
}

describe("PGlite: the root connection inside a transaction", () => {
  let db: Db;
  before(async () => {
    db = (await openBackend("pglite")).db;
    await db.exec("create table guard (n int)");
  });
  after(() => db.close());

  test("is refused at once with a clear error, and the transaction can still roll back cleanly", async () => {
    const outcome = db.transaction(async (tx) => {
      await tx.query("insert into guard values (1)");
      await db.query("select count(*) from guard"); // the mistake: db instead of tx
    });
    await assert.rejects(
      outcome,
      (err: unknown) => err instanceof RootConnectionInTransactionError && /pass the transaction's queryable/.test(String(err)),
    );
    assert.equal((await db.query<{ n: number }>("select count(*)::int as n from guard")).rows[0]!.n, 0);
  });

  test("a nested transaction on the root connection is refused the same way", async () => {
    await assert.rejects(
      db.transaction(() => db.transaction(async () => undefined)),
      RootConnectionInTransactionError,
    );
  });

  test("other work queues behind an open transaction, and work a transaction started may use db once it ended", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let later: Promise<unknown> | null = null;
    const tx = db.transaction(async (t) => {
      await t.query("insert into guard values (2)");
      // Started here, run after the commit (a timer, as the job queue's poll loop is).
      later = new Promise((r) => setTimeout(r, 50)).then(() => db.query("select 1"));
      await held;
    });
    const other = db.query<{ n: number }>("select count(*)::int as n from guard"); // another request
    release();
    await tx;
    assert.equal((await other).rows[0]!.n, 1);
    await later;
  });
});
