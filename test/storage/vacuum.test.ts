// PGlite runs no autovacuum; Db.vacuumDue applies autovacuum's default rule instead (the
// server calls it every 10 minutes). Without it, a table whose rows are updated grows with
// every update; with it, the space of dead rows is reused and the table stops growing.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Db } from "../../src/storage/db.ts";
import { openPglite } from "../../src/storage/pglite.ts";
import { migratedSnapshot } from "../../src/storage/snapshot.ts";

let db: Db;
before(async () => {
  // From the run's migrated snapshot (test/support/snapshot.ts): no initdb of its own.
  db = await openPglite(null, { snapshot: migratedSnapshot });
  // v is indexed, so every update is a new row version (no in-page HOT pruning).
  await db.exec(`create table churn (id int primary key, v int not null); create index on churn (v);
    create table quiet (id int primary key);
    insert into churn select g, 0 from generate_series(1, 2000) g;
    insert into quiet select g from generate_series(1, 2000) g`);
});
after(() => db.close());

const size = async (table: string) => (await db.query<{ n: number }>("select pg_relation_size($1)::int8 as n", [table])).rows[0]!.n;
const churn = () => db.query("update churn set v = v + 1");

test("PGlite: vacuumDue vacuums the tables autovacuum would, and the churned table stops growing", async () => {
  assert.ok(db.vacuumDue, "the PGlite adapter vacuums");
  const before = await size("churn");
  for (let i = 0; i < 10; i++) await churn();
  const grown = await size("churn");
  assert.ok(grown >= 5 * before, `10 updates of every row without vacuum: ${before} → ${grown} bytes`);
  // The inserted-only table is not vacuumed; the churned one is.
  assert.deepEqual(await db.vacuumDue!(), ["public.churn"]);
  assert.deepEqual(await db.vacuumDue!(), [], "nothing is due right after");
  for (let i = 0; i < 20; i++) {
    await churn();
    await db.vacuumDue!();
  }
  assert.ok((await size("churn")) <= grown, `20 more updates, vacuumed as due: still ${await size("churn")} <= ${grown} bytes`);
  assert.equal((await db.query<{ v: number }>("select min(v) as v from churn")).rows[0]!.v, 30, "no update was lost");
});
