import pg from "pg";
import type { Db, Queryable, QueryResult } from "./db.ts";

const typeParsers = {
  getTypeParser(oid: number, format?: string) {
    // int8 (20) and numeric (1700) as numbers, as in the PGlite adapter.
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: typeParsers });
  // A dropped idle connection must not crash the process.
  pool.on("error", () => {});
  await pool.query("select 1");
  const run = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async exec(sql: string) {
      await c.query(sql);
    },
    async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const res = await c.query(sql, params as unknown[] | undefined);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
    },
  });
  const self = run(pool);
  return {
    capabilities: { multiProcess: true, name: "postgres", sharedPool: pool },
    query: self.query,
    exec: self.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("begin");
        const out = await fn(run(client));
        await client.query("commit");
        return out;
      } catch (err) {
        await client.query("rollback").catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
