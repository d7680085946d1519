// The PGlite adapter runs each SQL text as a named statement prepared once (src/storage/pglite.ts):
// answers must be those of an unprepared run, whatever the parameters; a statement whose result
// columns changed is prepared again; the number kept is bounded; errors keep their SQLSTATE
// and leave the connection usable; statements asked for in one turn of the event loop run in one
// batch, each answered alone and in order among transactions. Real PGlite, in memory.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { PGlite, types } from "@electric-sql/pglite";
import type { Db } from "../../src/storage/db.ts";
import { sqlState, UNIQUE_VIOLATION } from "../../src/storage/db.ts";
import { MAX_STATEMENTS, pgliteDb } from "../../src/storage/pglite.ts";

// One PGlite (one initdb: the suite's time): the adapter's statements and PGlite's own query()
// side by side on it, with the adapter's parsers (int8 and numeric as numbers).
let plain: PGlite;
let db: Db;
before(async () => {
  plain = await PGlite.create({ parsers: { [types.INT8]: Number, [types.NUMERIC]: Number } });
  db = pgliteDb(plain);
  await db.exec(`create table t (id int8 primary key, name text, doc json, tags text[], n numeric, at int8);
    insert into t values (1, 'one', '{"a":1}', '{x,y}', 1.5, 1700000000000), (2, null, null, null, null, null)`);
});
after(() => db.close());

const prepared = async () => (await db.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements")).rows[0]!.n;

test("PGlite prepared statements: the same rows as PGlite's own query(), for any parameters", async () => {
  const sql = "select $1::text as s, $2::int8 as i, $3::json as j, $4::text[] as a, $5::bool as b, $6::numeric as n";
  await fc.assert(
    fc.asyncProperty(
      fc.option(fc.string().filter((s) => !s.includes("\0"))),
      fc.option(fc.integer()),
      fc.option(fc.dictionary(fc.string(), fc.oneof(fc.integer(), fc.string(), fc.boolean()))),
      fc.option(
        fc.array(
          fc.string().filter((s) => !s.includes("\0")),
          { maxLength: 4 },
        ),
      ),
      fc.option(fc.boolean()),
      async (...params) => {
        const ours = await db.query(sql, [...params, 2.5]);
        const theirs = await plain.query(sql, [...params, 2.5]);
        assert.deepEqual(ours.rows, theirs.rows);
      },
    ),
    { numRuns: 60 },
  );
  assert.deepEqual((await db.query("select id, name, doc, tags, n, at from t order by id")).rows, [
    { id: 1, name: "one", doc: { a: 1 }, tags: ["x", "y"], n: 1.5, at: 1700000000000 },
    { id: 2, name: null, doc: null, tags: null, n: null, at: null },
  ]);
  const upd = await db.query("update t set name = $2 where id = $1", [2, "two"]);
  assert.equal(upd.rowCount, 1, "affected rows of a prepared update");
  assert.deepEqual((await db.query("select name from t where id = $1", [2])).rows, [{ name: "two" }]);
});

test("PGlite prepared statements: a statement whose result columns changed is prepared again", async () => {
  await db.exec("create table wide (id int primary key); insert into wide values (1)");
  assert.deepEqual((await db.query("select * from wide")).rows, [{ id: 1 }]);
  await db.exec("alter table wide add column extra text default 'e'");
  assert.deepEqual((await db.query("select * from wide")).rows, [{ id: 1, extra: "e" }], "outside a transaction: prepared again and run");
  await db.exec("alter table wide add column more int default 7");
  // Inside a transaction the error has aborted it: it fails once, then the statement is new.
  await assert.rejects(
    db.transaction((tx) => tx.query("select * from wide")),
    (err: unknown) => sqlState(err) === "0A000",
  );
  assert.deepEqual(await db.transaction(async (tx) => (await tx.query("select * from wide")).rows), [{ id: 1, extra: "e", more: 7 }]);
});

test("PGlite prepared statements: at most MAX_STATEMENTS kept, and the closed ones still run", async () => {
  for (let i = 0; i < MAX_STATEMENTS + 20; i++) assert.equal((await db.query<{ v: number }>(`select ${i}::int as v`)).rows[0]!.v, i);
  assert.ok((await prepared()) <= MAX_STATEMENTS, `${await prepared()} prepared statements`);
  assert.equal((await db.query<{ v: number }>("select 0::int as v")).rows[0]!.v, 0, "an evicted statement is prepared again");
});

test("PGlite prepared statements: errors keep their SQLSTATE and the connection stays usable", async () => {
  await assert.rejects(db.query("insert into t (id) values ($1)", [1]), (err: unknown) => sqlState(err) === UNIQUE_VIOLATION);
  await assert.rejects(db.query("selec 1"), (err: unknown) => sqlState(err) === "42601");
  await assert.rejects(
    db.transaction(async (tx) => {
      await tx.query("insert into t (id) values ($1)", [3]);
      await tx.query("insert into t (id) values ($1)", [3]);
    }),
    (err: unknown) => sqlState(err) === UNIQUE_VIOLATION,
  );
  assert.deepEqual((await db.query("select id from t where id = $1", [3])).rows, [], "the failed transaction was rolled back");
  // A transaction's queryable refuses once its transaction has ended, as PGlite's own does.
  let kept: { query(sql: string): Promise<unknown> } | null = null;
  await db.transaction(async (tx) => {
    kept = tx;
  });
  await assert.rejects(kept!.query("select 1"), /closed/i);
});

// The adapter reads Bind/Execute/Sync's answer from its bytes itself (readExecuteAnswer), not
// through PGlite's parser: any text, any size (an answer PostgreSQL writes in several pieces),
// repeated column names, and messages it leaves to PGlite's parser (a notice) answer as PGlite does.
test("PGlite prepared statements: answers read from their bytes equal PGlite's, for any text and size", async () => {
  const sql = "select $1::text as s, $1::text as s, repeat($1::text, $2::int) as big, length($1::text) as n";
  await fc.assert(
    fc.asyncProperty(
      fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")),
      fc.integer({ min: 0, max: 1000 }),
      async (s, times) => {
        const ours = await db.query(sql, [s, times]);
        const theirs = await plain.query(sql, [s, times]);
        assert.deepEqual(ours.rows, theirs.rows);
        assert.deepEqual(Object.keys(ours.rows[0] as object), Object.keys(theirs.rows[0] as object));
      },
    ),
    { numRuns: 30 },
  );
  const many = "select g as i, repeat('é', 50) as t from generate_series(1, $1::int) g";
  assert.deepEqual((await db.query(many, [2000])).rows, (await plain.query(many, [2000])).rows, "a 200 KB answer in pieces");
  const notice = "do $$ begin raise notice 'hello'; end $$";
  assert.deepEqual(await db.query(notice), { rows: [], rowCount: 0 }, "a notice: PGlite's parser, no rows");
  const del = await db.query("delete from t where id = $1 returning id", [2]);
  assert.deepEqual(del, { rows: [{ id: 2 }], rowCount: 1 }, "rows and affected rows of a returning delete");
});

// Root-connection statements asked for in one turn of the event loop run as one batch under one
// hold of PGlite's locks (src/storage/pglite.ts): each still gets its own answer or its own
// error, in the order asked, and a transaction keeps its place among them.
test("PGlite batches: one turn's statements under one hold of the lock, each answered alone", async () => {
  await db.exec("create sequence batch_seq; create table batch_t (id int primary key)");
  const lockHolds = () => {
    let n = 0;
    const own = plain._runExclusiveQuery;
    plain._runExclusiveQuery = <T>(fn: () => Promise<T>): Promise<T> => {
      n++;
      return own.call(plain, fn) as Promise<T>;
    };
    return { count: () => n, restore: () => void (plain._runExclusiveQuery = own) };
  };
  const holds = lockHolds();
  let answers: PromiseSettledResult<{ rows: unknown[] }>[];
  try {
    answers = await Promise.allSettled([
      db.query<{ v: number }>("select nextval('batch_seq')::int as v"),
      db.query("insert into batch_t values (1)"),
      db.query("insert into batch_t values (1)"), // its own error only
      db.query("select 1 / $1::int as v", [0]),
      db.query<{ v: number }>("select nextval('batch_seq')::int as v"),
    ]);
  } finally {
    holds.restore();
  }
  assert.equal(holds.count(), 1, "five statements asked for in one turn: one hold of PGlite's lock");
  assert.deepEqual(
    answers.map((a) => (a.status === "fulfilled" ? a.value.rows : sqlState(a.reason))),
    [[{ v: 1 }], [], UNIQUE_VIOLATION, "22012", [{ v: 2 }]],
    "each its own answer or error, in the order asked",
  );
  assert.equal((answers[3] as PromiseRejectedResult).reason.query, "select 1 / $1::int as v", "the error names its statement");
  assert.deepEqual((await db.query("select count(*)::int as n from batch_t")).rows, [{ n: 1 }]);

  // A transaction asked for between two statements of one turn runs between them, as asked.
  const first = db.query<{ n: number }>("select count(*)::int as n from batch_t");
  const tx = db.transaction((t) => t.query("insert into batch_t values (2)"));
  const second = db.query<{ n: number }>("select count(*)::int as n from batch_t");
  assert.deepEqual([(await first).rows, (await second).rows], [[{ n: 1 }], [{ n: 2 }]], "before and after the transaction");
  await tx;
  // So does an exec.
  const before = db.query<{ n: number }>("select count(*)::int as n from batch_t");
  const exec = db.exec("insert into batch_t values (3)");
  const afterExec = db.query<{ n: number }>("select count(*)::int as n from batch_t");
  assert.deepEqual([(await before).rows, (await afterExec).rows], [[{ n: 2 }], [{ n: 3 }]], "before and after the exec");
  await exec;
});

test("PGlite batches: a large answer is handed over before the rest of its batch runs", async () => {
  const events: string[] = [];
  const own = plain.execProtocolRawStream;
  plain.execProtocolRawStream = (message, options) => {
    events.push("run");
    return own.call(plain, message, options);
  };
  try {
    const big = db.query("select repeat('x', 300000) as s").then(() => void events.push("large answer handed over"));
    const small = db.query("select 1 as v").then(() => void events.push("small answer handed over"));
    await Promise.all([big, small]);
  } finally {
    plain.execProtocolRawStream = own;
  }
  assert.deepEqual(events, ["run", "large answer handed over", "run", "small answer handed over"]);
});

test("PGlite batches: a statement whose last answer was large runs in a batch of its own, in its place", async () => {
  const large = "select repeat('y', 100000) as s, nextval('batch_seq')::int as v";
  await db.query(large); // now known to answer large
  const order: string[] = [];
  let holds = 0;
  const own = plain._runExclusiveQuery;
  plain._runExclusiveQuery = <T>(fn: () => Promise<T>): Promise<T> => {
    holds++;
    return own.call(plain, fn) as Promise<T>;
  };
  try {
    const seq = (name: string, sql: string) => db.query<{ v: number }>(sql).then((r) => void order.push(`${name} ${r.rows[0]!.v}`));
    await Promise.all([
      seq("small", "select nextval('batch_seq')::int as v"),
      seq("large", large),
      seq("small", "select nextval('batch_seq')::int as v"),
    ]);
  } finally {
    plain._runExclusiveQuery = own;
  }
  assert.equal(holds, 3, "the small statements before and after it, and the large one alone");
  const [a, b, c] = order.map((o) => Number(o.split(" ")[1]));
  assert.deepEqual(
    order.map((o) => o.split(" ")[0]),
    ["small", "large", "small"],
  );
  assert.ok(a! < b! && b! < c!, `run in the order asked: ${order.join(", ")}`);
});

test("PGlite batches: after a large answer, what waits for the lock runs only once the turn has ended", async () => {
  const large = "select repeat('z', 300000) as s";
  await db.query(large); // now known to answer large: each runs alone, at once
  const events: string[] = [];
  const own = plain.execProtocolRawStream;
  plain.execProtocolRawStream = (message, options) => {
    events.push("run");
    return own.call(plain, message, options);
  };
  // A request's use of the answer: many promise steps (the handler, the envelope) before it is
  // done with it. 32 pages run back to back before their requests had used them were all alive
  // at once, and V8's scavenges copied them (issue 22).
  const used = async (n: number, answer: Promise<unknown>) => {
    await answer;
    for (let i = 0; i < 50; i++) await Promise.resolve();
    events.push(`used ${n}`);
  };
  try {
    await Promise.all([used(1, db.query(large)), used(2, db.query(large))]);
  } finally {
    plain.execProtocolRawStream = own;
  }
  assert.deepEqual(events, ["run", "used 1", "run", "used 2"]);
});
