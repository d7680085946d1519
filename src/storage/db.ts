// The storage port. One SQL dialect (PostgreSQL); two adapters implement it: PGlite
// (embedded, the default) and PostgreSQL through `pg`. Product code sees only this.
import type pg from "pg";

export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted by the statement (0 for plain SELECT on PGlite). */
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface DbCapabilities {
  /** Several server processes may share this database (PostgreSQL, not PGlite). */
  readonly multiProcess: boolean;
  /** The adapter name, for logs and /healthz only; never branch on it in product code. */
  readonly name: "pglite" | "postgres";
  /**
   * Only where several processes share the database (PostgreSQL): its connection pool, for
   * the libraries that keep shared state in it themselves (the rate limiters'
   * rate_limits table). Product code never uses it.
   */
  readonly sharedPool?: pg.Pool;
}

export interface Db extends Queryable {
  readonly capabilities: DbCapabilities;
  /**
   * Only on a database made at this start from the migrated snapshot (storage/snapshot.ts):
   * the migrations it was built with (migrationKeys), which lets migrate() skip its checks
   * when the code's are among them.
   */
  readonly migrations?: readonly string[];
  /**
   * Only on a backend without autovacuum (PGlite): vacuums (and analyzes) the tables that
   * autovacuum would, those whose dead rows exceed 50 + 20% of their live ones (its default
   * trigger), and returns their names. The server calls it every few minutes.
   */
  vacuumDue?(): Promise<string[]>;
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The SQLSTATE of a database error, if it is one. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string") return err.code;
  return undefined;
}

export const UNIQUE_VIOLATION = "23505";
