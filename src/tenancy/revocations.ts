// Revocation of credentials, and the caches of credential lookups it bounds (issue 16 item 7).
//
// Credential lookups (key pairs, ingest keys, Huawei tokens, worker credentials) are read on
// every request and cached in each process. A revocation is a mark on the credential's row plus
// a line in `credential_revocations`, written in one transaction. Every cache belongs to one
// Revocations, whose generation number it compares on each read: when the generation moves, the
// cache is emptied and lookups go to the database again.
// - In this process the generation moves as soon as the revoking transaction commits (PGlite
//   has one process per data directory, so there a revocation takes effect at once).
// - Where several processes share the database (PostgreSQL), each polls the highest
//   revocation seq every `pollMs` (default 200 ms) and moves its generation when it changed.
//   One indexed max() per poll per instance; a revocation reaches every instance within
//   pollMs plus one query. Polling rather than LISTEN/NOTIFY: it needs no connection of its
//   own held open, and a lost connection or a missed notification cannot leave a revoked
//   credential cached (the next poll sees the seq regardless).
// Dropping every cached lookup at each revocation (not just the revoked one) keeps this one
// rule for every kind; revocations are rare and the caches refill on demand.
import type { Db, Queryable } from "../storage/db.ts";

export type CredentialKind = "api-key" | "ingest-key" | "admin-token" | "huawei-token" | "trro-device-token" | "worker-credential";

export const DEFAULT_REVOCATION_POLL_MS = 200;

export class Revocations {
  /** Moves whenever some credential was revoked (here, or seen by the poller). */
  generation = 0;
  private seenSeq: number | null = null;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /**
   * Records a revocation inside the caller's transaction (with the mark on the credential's
   * own row); call changed() once it has committed.
   */
  async record(tx: Queryable, kind: CredentialKind, credential: string, now: number): Promise<void> {
    await tx.query("insert into credential_revocations (kind, credential, revoked_at) values ($1, $2, $3)", [kind, credential, now]);
  }

  /** A revocation committed in this process: every cache here forgets its lookups now. */
  changed(): void {
    this.generation++;
  }

  /** Reads the highest revocation seq; moves the generation when another process added one. */
  async poll(): Promise<void> {
    const rows = await this.db.query<{ seq: string | number | null }>("select max(seq) as seq from credential_revocations");
    const seq = Number(rows.rows[0]?.seq ?? 0);
    if (this.seenSeq !== null && seq !== this.seenSeq) this.generation++;
    this.seenSeq = seq;
  }

  /** A cache of positive lookups that forgets everything when the generation moves. */
  cache<K, V>(): CredentialCache<K, V> {
    return new CredentialCache<K, V>(this);
  }
}

export class CredentialCache<K, V> {
  private readonly entries = new Map<K, V>();
  private generation: number;
  private readonly revocations: Revocations;

  constructor(revocations: Revocations) {
    this.revocations = revocations;
    this.generation = revocations.generation;
  }

  /**
   * The cached value, else load()'s (cached when found). A lookup that started before a
   * revocation and ends after it is not cached: it may have read the row before the mark.
   */
  async get(key: K, load: () => Promise<V | null>): Promise<V | null> {
    this.sync();
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const started = this.revocations.generation;
    const value = await load();
    if (value !== null && started === this.revocations.generation) {
      this.sync();
      this.entries.set(key, value);
    }
    return value;
  }

  /** The cached value, without a lookup (undefined when not cached): for a caller that answers at once when it can. */
  peek(key: K): V | undefined {
    this.sync();
    return this.entries.get(key);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops the entries whose value matches (e.g. every ingest key of a deleted app). */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [k, v] of this.entries) if (match(v)) this.entries.delete(k);
  }

  clear(): void {
    this.entries.clear();
  }

  private sync(): void {
    if (this.generation === this.revocations.generation) return;
    this.entries.clear();
    this.generation = this.revocations.generation;
  }
}
