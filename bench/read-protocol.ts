// What the read-path benchmark (read-path.ts) and its server process (read-server.ts) share:
// the credentials, the calls the server prepared, and the messages of their IPC channel.
export const READ_SECRET_ID = "AKIDroomledgerBENCHread0000000000001";
export const READ_SECRET_KEY = "roomledgerBenchReadSecretKey0001";

/** A statement the store ran; `begin`/`commit` mark a transaction's bounds (db.transaction), not SQL. */
export type Statement = { sql: string; params: readonly unknown[] | undefined } | { tx: "begin" | "commit" };

export const isSql = (s: Statement): s is { sql: string; params: readonly unknown[] | undefined } => "sql" in s;

/** What the parent sends (its answer carries the same `id`). */
export type Command =
  | { cmd: "record" }
  | { cmd: "stop" }
  | { cmd: "replay"; statements: Statement[]; times: number; concurrency: number }
  | { cmd: "pace"; statements: Statement[]; rate: number; seconds: number }
  | { cmd: "gc" };

/** The server's garbage collections so far (the answer to `gc`): per kind, their count and ms. */
export type GcTotals = Record<"scavenge" | "mark-compact" | "incremental marking" | "weak callbacks", { count: number; ms: number }>;

export interface ReadCall {
  service: string;
  version: string;
  action: string;
  params: Record<string, unknown>;
  /** What the call reads, for the figures' names. */
  what: string;
}
