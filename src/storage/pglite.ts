import { AsyncLocalStorage } from "node:async_hooks";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, PGlite, protocol, types, type PGliteOptions } from "@electric-sql/pglite";
import type { Db, Queryable, QueryResult } from "./db.ts";
import { lockDataDir, type DataDirLock } from "./data-dir-lock.ts";
import { pgliteFsBundle, pgliteWasm } from "./pglite-wasm.ts";
import { SnapshotMemoryFS } from "./pglite-memory-fs.ts";
import type { Snapshot } from "./snapshot.ts";
import { startMark } from "./start-marks.ts";

// int8 and numeric come back as JS numbers: every id and timestamp we store is below 2^53
// (the Tencent SDKs parse responses with plain JSON.parse, so larger ones would be wrong
// on the client anyway). Both adapters parse the same way.
const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
};

function wrap(q: { query: PGlite["query"]; exec: PGlite["exec"] }): Queryable {
  return {
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res = await q.query<R>(sql, params as unknown[] | undefined);
      return { rows: res.rows, rowCount: res.affectedRows ?? 0 };
    },
  };
}

// PGlite's query() runs every statement as the unnamed statement, in six calls into PostgreSQL
// (Parse, Describe, Bind, Describe, Execute, Sync) with their answers parsed in JS: each call
// parses, analyses and plans the SQL again (the planner also asks the file system for every
// index's size) and parses the row description twice. A named statement per SQL text, prepared
// once per connection, runs in one call (Bind, Execute, Sync): 5-6x less CPU for a primary-key
// read (bench/read-path.ts). Same SQL, same parameters as text by PGlite's serializers, rows by
// PGlite's own parseResults with the description kept from the preparation. PostgreSQL
// re-plans a statement whose tables changed; one whose result columns changed (a `select *`
// before a migration) fails with 0A000 and is prepared again.
const { serialize } = protocol;
/** Prepared statements kept per connection; the oldest is closed past it. */
export const MAX_STATEMENTS = 500;
type Message = Parameters<typeof parse.parseResults>[0][number];
interface Prepared {
  name: string;
  paramTypes: number[];
  /** The result's column names and type oids, from the statement's RowDescription (empty: no rows). */
  names: string[];
  typeIds: number[];
  /** Its last answer was past ALONE_BYTES: it runs in a batch of its own (see runBatch). */
  alone: boolean;
}

/** Answer bytes past which a statement runs in a batch of its own (see preparedStatements' batches). */
const ALONE_BYTES = 64 * 1024;

// Execute and Sync are the same bytes for every run.
const EXECUTE_SYNC = (() => {
  const e = serialize.execute({});
  const s = serialize.sync();
  const out = new Uint8Array(e.length + s.length);
  out.set(e, 0);
  out.set(s, e.length);
  return out;
})();

/**
 * The answer to Bind, Execute, Sync, read straight from its bytes: the rows as PGlite's
 * parseResults makes them (an object per row, keys in column order, each value through
 * PGlite's parser for its type; rows count only once the command completed) and the command's
 * affected rows. PGlite's own protocol parser copies every field into an ArrayBuffer of its
 * own before decoding it and builds a message object per row that parseResults then turns
 * into the row: per DescribeRecordInfo request that was ~20 allocations per column read. An
 * ErrorResponse (or anything this reader does not expect) is left to PGlite's parser: `null`.
 */
function readExecuteAnswer(bytes: Buffer, p: Prepared, parsers: PGlite["parsers"]): QueryResult<unknown> | null {
  let rows: Record<string, unknown>[] = [];
  let rowCount = 0;
  let completed = false;
  const { names, typeIds } = p;
  for (let at = 0; at + 5 <= bytes.length; ) {
    const code = bytes[at]!;
    const end = at + 1 + bytes.readInt32BE(at + 1);
    if (code === 0x44 /* D: DataRow */) {
      const n = bytes.readInt16BE(at + 5);
      if (n !== names.length) return null;
      const row: Record<string, unknown> = {};
      let f = at + 7;
      for (let i = 0; i < n; i++) {
        const len = bytes.readInt32BE(f);
        f += 4;
        if (len === -1) row[names[i]!] = null;
        else {
          row[names[i]!] = types.parseType(bytes.toString("utf8", f, f + len), typeIds[i]!, parsers);
          f += len;
        }
      }
      rows.push(row);
    } else if (code === 0x43 /* C: CommandComplete */) {
      // As parseResults: the tag's last word is the count for INSERT, UPDATE, DELETE, COPY, MERGE.
      const tag = bytes.toString("latin1", at + 5, end - 1);
      const command = tag.slice(0, tag.indexOf(" ") >>> 0);
      const count = Number.parseInt(tag.slice(tag.lastIndexOf(" ") + 1), 10);
      if (command === "INSERT" || command === "UPDATE" || command === "DELETE" || command === "COPY" || command === "MERGE")
        rowCount += count;
      completed = true;
    } else if (code !== 0x32 /* 2: BindComplete */ && code !== 0x5a /* Z: ReadyForQuery */ && code !== 0x49 /* I: EmptyQuery */)
      return null;
    at = end;
  }
  if (!completed) rows = [];
  return { rows, rowCount };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function preparedStatements(pg: PGlite) {
  const statements = new Map<string, Prepared>();
  let next = 0;
  // execProtocolStream, as PGlite's query() uses it: the answer parsed as it comes, without
  // execProtocol's three copies of it (a 400 KB page would be copied into fresh memory each time).
  const run = (message: Uint8Array) => pg.execProtocolStream(message, { syncToFs: false });
  // One buffer per connection for the answers of execute(), grown as needed; past ANSWER_KEPT
  // it is let go after the answer is read (a large export must not hold its size for ever).
  const ANSWER_BUFFER = 16 * 1024;
  const ANSWER_KEPT = 1024 * 1024;
  let answer = Buffer.allocUnsafeSlow(ANSWER_BUFFER);
  let answerLength = 0;
  /** Bytes of answers read so far (a batch settles its answers early past BATCH_BYTES of them). */
  let answeredBytes = 0;
  const keep = (bytes: Uint8Array) => {
    if (answerLength + bytes.length > answer.length) {
      const bigger = Buffer.allocUnsafeSlow(Math.max(answer.length * 2, answerLength + bytes.length));
      bigger.set(answer.subarray(0, answerLength));
      answer = bigger;
    }
    answer.set(bytes, answerLength);
    answerLength += bytes.length;
  };
  async function prepare(sql: string): Promise<Prepared> {
    const known = statements.get(sql);
    if (known) return known;
    if (statements.size >= MAX_STATEMENTS) {
      const [oldSql, old] = statements.entries().next().value!;
      statements.delete(oldSql);
      await run(concat([serialize.close({ type: "S", name: old.name }), serialize.sync()]));
    }
    const name = `rl_${++next}`;
    const messages = await run(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: "S", name }), serialize.sync()]));
    const description = messages.find((m) => m.name === "rowDescription") as { fields: { name: string; dataTypeID: number }[] } | undefined;
    const prepared = {
      name,
      paramTypes: parse.parseDescribeStatementResults(messages),
      names: description?.fields.map((f) => f.name) ?? [],
      typeIds: description?.fields.map((f) => f.dataTypeID) ?? [],
      alone: false,
    };
    statements.set(sql, prepared);
    return prepared;
  }
  /** One statement (PGlite's file system is synced by its caller: once per batch, runBatch). */
  async function execute<R>(sql: string, params: readonly unknown[]): Promise<QueryResult<R>> {
    const p = await prepare(sql);
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const serializer = pg.serializers[p.paramTypes[i]!];
      return serializer ? serializer(v) : (v as { toString(): string }).toString();
    });
    const message = concat([serialize.bind({ statement: p.name, values }), EXECUTE_SYNC]);
    // The answer's bytes as PostgreSQL writes them (a view into PGlite's WebAssembly memory,
    // valid during the call only), copied into `answer` and read once the call has returned,
    // still inside PGlite's exclusive section.
    answerLength = 0;
    await pg.execProtocolRawStream(message, { syncToFs: false, onRawData: keep });
    const bytes = answer.subarray(0, answerLength);
    answeredBytes += answerLength;
    p.alone = answerLength > ALONE_BYTES;
    if (answer.length > ANSWER_KEPT) answer = Buffer.allocUnsafeSlow(ANSWER_BUFFER);
    const res = readExecuteAnswer(bytes, p, pg.parsers);
    if (!res) {
      // An error (or a message this reader does not know): PGlite's own parser makes the
      // DatabaseError its query() would throw.
      const messages: Message[] = [];
      new protocol.Parser().parse(bytes, (m) => void messages.push(m));
      const error = messages.find((m) => m instanceof protocol.messages.DatabaseError);
      if (error) throw error;
      const parsed = parse.parseResults(
        [{ name: "rowDescription", fields: p.names.map((name, i) => ({ name, dataTypeID: p.typeIds[i]! })) } as never, ...messages],
        pg.parsers,
      )[0]!;
      return { rows: parsed.rows as R[], rowCount: parsed.affectedRows ?? 0 };
    }
    return res as QueryResult<R>;
  }
  /** One statement, prepared again once if its cached plan's result type changed (outside a transaction). */
  async function executeRetrying<R>(sql: string, params: readonly unknown[], inTransaction: boolean): Promise<QueryResult<R>> {
    try {
      return await execute<R>(sql, params);
    } catch (err) {
      // "cached plan must not change result type": prepare it again (once, and not inside a
      // transaction, which the error has aborted).
      if ((err as { code?: unknown }).code === "0A000" && statements.has(sql)) {
        const old = statements.get(sql)!;
        statements.delete(sql);
        await run(concat([serialize.close({ type: "S", name: old.name }), serialize.sync()]));
        if (!inTransaction) return execute<R>(sql, params);
      }
      throw Object.assign(err as object, { query: sql, params });
    }
  }

  // Statements on the root connection (outside a transaction) run in batches: those asked for
  // in one turn of the event loop (the requests whose bytes arrived together) wait for the end
  // of that turn's I/O (setImmediate), then run back to back under one hold of PGlite's locks,
  // with one file-system sync, and are answered together. Before, each request's statement ran
  // between two requests' HTTP and gateway code, each evicting the other's code and data from
  // the CPU's caches, and each took PGlite's two locks and synced alone (issue 22; the raw
  // replay of the read benchmark already ran its statements back to back). A batch takes the
  // locks when its first statement is asked for, so it keeps that statement's place among
  // transactions; `seal()` (a transaction or exec asked for through the Db) closes it, so a
  // statement asked for after them runs after them, as before.
  interface Waiting {
    sql: string;
    params: readonly unknown[];
    resolve: (r: QueryResult<unknown>) => void;
    reject: (err: unknown) => void;
  }
  let collecting: Waiting[] | null = null;
  const HANDED_OVER = { ok: false, error: null } as const;
  const HANDED_OVER_WAITING: Waiting = { sql: "", params: [], resolve: () => {}, reject: () => {} };
  /** Answer bytes a batch holds before it hands over what it has (see runBatch). */
  const BATCH_BYTES = 256 * 1024;
  const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function runBatch(batch: Waiting[], waitForTurn = true): Promise<void> {
    const outcomes: ({ ok: true; value: QueryResult<unknown> } | { ok: false; error: unknown })[] = [];
    let settled = 0;
    const settle = (): void => {
      for (; settled < outcomes.length; settled++) {
        const o = outcomes[settled]!;
        const w = batch[settled]!;
        // The batch no longer holds the answer (nor, through its resolve function, its promise).
        outcomes[settled] = HANDED_OVER;
        batch[settled] = HANDED_OVER_WAITING;
        if (o.ok) w.resolve(o.value);
        else w.reject(o.error);
      }
    };
    try {
      // As PGlite's own query(): its readiness check (closed: its error) awaited first.
      await pg._checkReady();
      await pg._runExclusiveTransaction(() =>
        pg._runExclusiveQuery(async () => {
          if (waitForTurn) await endOfTurn();
          if (collecting === batch) collecting = null;
          let wrote = false;
          let from = answeredBytes;
          for (const w of batch) {
            try {
              outcomes.push({ ok: true, value: await executeRetrying(w.sql, w.params, false) });
              wrote = true;
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
            // Large answers (a 1000-record page: 391 KB) are handed over as they come: held
            // together until the batch ends, they outlive V8's young generation (measured: the
            // page's raw replay 889 -> 1,348 µs), and the cache locality is worth nothing there.
            if (answeredBytes - from > BATCH_BYTES && settled < outcomes.length) {
              if (wrote) await pg.syncToFs();
              wrote = false;
              settle();
              from = answeredBytes;
              // ... and used before the next statement runs: the locks are kept until the end of
              // the turn, so what waits for them (the next page) runs only once the answer's
              // consumer (the request's answer, made and written) has run and let it go.
              await endOfTurn();
            }
          }
          if (wrote) await pg.syncToFs();
        }),
      );
    } catch (error) {
      if (collecting === batch) collecting = null;
      // The readiness check or the sync failed: every statement not yet answered, without an error of its own, gets this one.
      for (let i = settled; i < batch.length; i++) if (outcomes[i]?.ok !== false) outcomes[i] = { ok: false, error };
    }
    settle();
  }
  return {
    /** A statement inside the transaction that holds PGlite's connection. */
    inTransaction: <R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> =>
      pg._runExclusiveQuery(() => executeRetrying<R>(sql, params, true)),
    /** A statement on the root connection, in the current batch (see above). */
    root: <R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> =>
      new Promise<QueryResult<R>>((resolve, reject) => {
        const w: Waiting = { sql, params, resolve: resolve as Waiting["resolve"], reject };
        // A statement whose answers are large runs alone and at once, as before batches: 32
        // pages of 391 KB answered together outlived V8's young generation (the page's GC
        // 113 -> 1,070 µs per request), and its own work dwarfs what a batch saves.
        if (statements.get(sql)?.alone) {
          collecting = null;
          void runBatch([w], false);
        } else if (collecting) collecting.push(w);
        else {
          collecting = [w];
          void runBatch(collecting);
        }
      }),
    /** Closes the batch being collected: statements asked for from now on run after what was asked before them. */
    seal: (): void => {
      collecting = null;
    },
  };
}

// PGlite has one connection: while a transaction holds it, a query on the root connection
// from inside that transaction's own work waits for the transaction, which waits for the
// query: the process hangs. The adapter knows which work runs inside a transaction
// (AsyncLocalStorage) and refuses such a query at once, naming the mistake. Queries from
// other requests simply queue behind the transaction, as before.
const insideTransaction = new AsyncLocalStorage<{ open: boolean }>();
/** True while the work calling it runs inside a transaction that has not ended yet. */
const holdsConnection = (): boolean => insideTransaction.getStore()?.open === true;

export class RootConnectionInTransactionError extends Error {
  constructor() {
    super(
      "PGlite: a query on the root connection (db) while this code's own transaction holds PGlite's one connection " +
        "would wait for ever; pass the transaction's queryable (tx) instead",
    );
    this.name = "RootConnectionInTransactionError";
  }
}

function guarded(q: Queryable): Queryable {
  return {
    exec(sql) {
      if (holdsConnection()) return Promise.reject(new RootConnectionInTransactionError());
      return q.exec(sql);
    },
    query(sql, params) {
      if (holdsConnection()) return Promise.reject(new RootConnectionInTransactionError());
      return q.query(sql, params);
    },
  };
}

export interface PgliteOptions {
  /**
   * PostgreSQL's shared_buffers inside PGlite's WASM memory (default 128MB). The WASM memory
   * only grows, so this bounds the process's resident size: e.g. "24MB" for small hosts.
   */
  sharedBuffers?: string | null;
  /**
   * A migrated database (src/storage/snapshot.ts) to start from, when the database is new (in
   * memory, or a data directory without one yet); not taken otherwise. Its files' memory
   * becomes the new database's: a snapshot serves one start.
   */
  snapshot?: (() => Promise<Snapshot | null>) | null;
}

// PostgreSQL sizes its shared memory for the backends it could run, and PGlite runs one: a
// single-user backend (postgres --single), no postmaster, no replication, no autovacuum
// workers, no background workers (PGlite's own defaults already set max_worker_processes=0).
// Emscripten's mmap() zero-fills the whole segment at every start, and the first touch of new
// WebAssembly memory is slow (~6 ms per MB on the bench machine): with shared_buffers=8MB the
// segment was 16 MB, ~88 ms of the start's CPU in that memset (profiled), for arrays of 128
// backends nobody uses. PostgreSQL 18's defaults, and why each is safe to cut here:
// - max_connections=1 (100): the single-user backend takes one slot; nothing else connects
//   (PGlite's connections are its JS callers, multiplexed onto that one backend).
// - autovacuum_worker_slots=1 (16; 1 is its minimum): single-user mode runs no autovacuum
//   launcher; the vacuum roomledger needs runs in the backend itself (vacuumDue below).
// - max_wal_senders=0 (10), max_replication_slots=0 (10): nothing streams or decodes WAL.
// MaxBackends goes from 128 to 4, and with it the PGPROC array, the lock tables
// (max_locks_per_transaction x MaxBackends: 8,192 lock slots before, 256 now), the predicate
// locks, the backend status arrays and the asynchronous I/O handles. The lock table grows into
// the segment's free space (PostgreSQL rounds the segment up to 2 MB, huge_pages=try), so one
// transaction still holds ~6,000 locks (1,200 new tables with their keys, in memory; ~2,000
// tables with a data directory) where it held ~24,000 before (~4,900 tables; measured, and
// test/storage/pglite-settings.test.ts holds 1,500). roomledger's whole schema is ~390
// relations (65 tables, 212 indexes, 103 TOAST tables), so a reset's TRUNCATE of every product
// table locks fewer than 400, and each day of RTC samples adds a partition and its key (2
// locks): a year of retention stays under 1,200. The segment: 16 -> 12 MB with
// shared_buffers=8MB, 43 -> 38 MB with the data directory's 32MB, 4 MB with the in-memory
// 1MB (config.ts).
// The snapshot is built with the same settings (snapshot-build.ts): pg_control records them,
// and PostgreSQL writes a parameter-change WAL record at every start where they differ.
const SINGLE_USER_SETTINGS: readonly string[] = [
  "max_connections=1",
  "autovacuum_worker_slots=1",
  "max_wal_senders=0",
  "max_replication_slots=0",
];

/** PGlite's start parameters: its own, the single-user trims above, and shared_buffers when given. */
export function pgliteStartParams(sharedBuffers?: string | null): string[] {
  return [
    ...PGlite.defaultStartParams,
    ...SINGLE_USER_SETTINGS.flatMap((s) => ["-c", s]),
    ...(sharedBuffers ? ["-c", `shared_buffers=${sharedBuffers}`] : []),
  ];
}

export async function openPglite(dataDir: string | null, options: PgliteOptions = {}): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Taken before PGlite reads a byte of the directory; held until close (data-dir-lock.ts).
  const lock = dataDir ? await lockDataDir(dataDir) : null;
  const startParams = pgliteStartParams(options.sharedBuffers);
  try {
    const fresh = !dataDir || !existsSync(join(dataDir, "PG_VERSION"));
    const taken = fresh && options.snapshot ? options.snapshot() : null;
    taken?.catch(() => {}); // awaited below, or by the file system; its failure is the start's
    // On disk, the files must be there before PGlite looks for PG_VERSION. PGlite's own loader
    // (loadDataDir) would do the same at several times the cost (tar.ts).
    const onDisk = dataDir && taken ? await taken : null;
    if (onDisk && dataDir) writeSnapshot(dataDir, onDisk);
    const pgOptions: PGliteOptions = {
      ...(dataDir ? { dataDir } : {}),
      parsers,
      pgliteWasmModule: await pgliteWasm(),
      fsBundle: pgliteFsBundle(),
      startParams,
      // In memory the snapshot is taken only once PGlite's instance is made and its own files
      // unpacked (~0.14 s of this thread): made from the WebAssembly and the bundle, which
      // the early start's thread delivers first, while it still inflates the snapshot.
      ...(taken && !dataDir ? { fs: new SnapshotMemoryFS(taken) } : {}),
    };
    startMark("pglite: wasm and fs bundle in hand");
    const pg = taken ? new KnownArrayTypesPGlite(pgOptions, taken) : new PGlite(pgOptions);
    await pg.waitReady; // what PGlite.create() does
    startMark("pglite: ready");
    return pgliteDb(pg, lock, (await taken)?.migrations ?? undefined);
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

/**
 * A new data directory from the snapshot, PG_VERSION last: PGlite takes a directory with that
 * file for a database to resume, so a start interrupted while writing leaves one it writes
 * again next time, never a half-written database that it would try to run.
 */
function writeSnapshot(dataDir: string, snapshot: Snapshot): void {
  for (const dir of snapshot.dirs) mkdirSync(join(dataDir, dir), { recursive: true, mode: 0o700 });
  const last = snapshot.files.filter((f) => f.path === "PG_VERSION");
  for (const f of [...snapshot.files.filter((f) => f.path !== "PG_VERSION"), ...last]) {
    writeFileSync(join(dataDir, f.path), f.data, { mode: 0o600 });
  }
}

/**
 * A PGlite started from the snapshot: the array types PGlite reads from pg_type at the end of
 * its start (_initArrayTypes, the first query of a new database, ~50 ms of a cold start) are
 * the snapshot's, read when it was built (snapshot-build.ts). Parsers and serializers are made
 * from them exactly as PGlite makes them; refreshArrayTypes() still asks the database, and so
 * does a start without them (no snapshot, or one without that entry).
 */
class KnownArrayTypesPGlite extends PGlite {
  readonly #snapshot: Promise<Snapshot | null>;
  constructor(options: PGliteOptions, snapshot: Promise<Snapshot | null>) {
    super(options);
    // PGlite calls _initArrayTypes() only after awaiting its start, past this assignment.
    this.#snapshot = snapshot;
  }
  override async _initArrayTypes({ force = false } = {}): Promise<void> {
    const known = force ? null : (await this.#snapshot)?.arrayTypes;
    if (!known) return super._initArrayTypes({ force });
    for (const { oid, typarray } of known) {
      this.serializers[typarray] = (x) => types.arraySerializer(x, this.serializers[oid], typarray);
      this.parsers[typarray] = (x) => types.arrayParser(x, this.parsers[oid]!, typarray);
    }
  }
}

/**
 * The Db port over an open PGlite (also used to build the migrated snapshot); `migrations`:
 * the digest of the migrations of the snapshot it was just made from (db.ts).
 */
export function pgliteDb(pg: PGlite, lock: DataDirLock | null = null, migrations?: readonly string[]): Db {
  const prepared = preparedStatements(pg);
  const root = wrap(pg);
  const self = guarded({
    exec: (sql) => {
      prepared.seal();
      return root.exec(sql);
    },
    query: prepared.root,
  });
  return {
    capabilities: { multiProcess: false, name: "pglite" },
    ...(migrations !== undefined ? { migrations } : {}),
    query: self.query,
    exec: self.exec,
    transaction: (fn) => {
      if (holdsConnection()) return Promise.reject(new RootConnectionInTransactionError());
      prepared.seal();
      return pg.transaction((tx) => {
        // Work the transaction started that outlives it (a timer, a promise not awaited) may use db afterwards.
        const state = { open: true };
        const own = wrap(tx);
        // Once the transaction has ended, PGlite's own tx.query() refuses (Transaction is closed).
        const inside: Queryable = {
          exec: own.exec,
          query: (sql, params) => (tx.closed ? own.query(sql, params) : prepared.inTransaction(sql, params)),
        };
        return insideTransaction.run(state, () => fn(inside)).finally(() => (state.open = false));
      });
    },
    vacuumDue: () => {
      prepared.seal();
      return vacuumDue(pg);
    },
    close: () => {
      prepared.seal();
      return pg.close().finally(() => lock?.release());
    },
  };
}

// PGlite runs no autovacuum: rows that are updated or deleted (the job queue, leases,
// sessions) leave dead tuples that nothing reclaims, and their tables grow for ever. Its
// statistics are only flushed on request, so flush them, then apply autovacuum's default
// rule. VACUUM holds PGlite's one connection while it runs; the rule keeps it to tables
// worth it, and append-only tables (QoS samples) have no dead rows.
async function vacuumDue(pg: PGlite): Promise<string[]> {
  await pg.query("select pg_stat_force_next_flush()");
  const { rows } = await pg.query<{ name: string }>(
    `select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables
      where n_dead_tup > 50 + 0.2 * n_live_tup order by n_dead_tup desc`,
  );
  for (const { name } of rows) await pg.exec(`vacuum (analyze) ${name}`);
  return rows.map((r) => r.name);
}
