// Worker credentials (issue 16 item 4): what task workers (recorders, whiteboard pushers)
// authenticate with on the agent protocol, instead of the app's ingest key that every client
// app carries. One credential belongs to one app and names the task kinds it may claim; it is
// shown once at creation and stored as a SHA-256 hash; it can be revoked.
import type { Db } from "../storage/db.ts";
import type { Clock } from "../time/clock.ts";
import { alnum, lowerAlnum } from "../ids.ts";
import type { App } from "./accounts.ts";
import { hashToken } from "./token-hash.ts";
import type { CredentialCache, Revocations } from "./revocations.ts";

export interface WorkerCredential {
  credentialId: string;
  appId: string;
  kinds: string[];
  label: string;
  /** The first characters of the secret, to recognise it by. */
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}

/** A worker credential that authenticated a request: its app and what it may claim. */
export interface Worker {
  app: App;
  credentialId: string;
  kinds: readonly string[];
}

interface Row {
  credential_id: string;
  app_id: string;
  kinds: string[];
  label: string;
  prefix: string;
  created_at: number | string;
  revoked_at: number | string | null;
}

const toCredential = (r: Row): WorkerCredential => ({
  credentialId: r.credential_id,
  appId: r.app_id,
  kinds: r.kinds,
  label: r.label,
  prefix: r.prefix,
  createdAt: Number(r.created_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
});

export class WorkerCredentials {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly revocations: Revocations;
  private readonly app: (appId: string) => Promise<App | null>;
  private readonly cache: CredentialCache<string, Worker>;

  constructor(db: Db, clock: Clock, revocations: Revocations, app: (appId: string) => Promise<App | null>) {
    this.db = db;
    this.clock = clock;
    this.revocations = revocations;
    this.app = app;
    this.cache = revocations.cache();
  }

  /** A new credential for the app's workers of these kinds; the secret is returned only here. */
  async create(appId: string, kinds: readonly string[], label: string): Promise<WorkerCredential & { credential: string }> {
    const credential = `rlwk_${alnum(40)}`;
    const rows = await this.db.query<Row>(
      `insert into worker_credentials (credential_id, credential_hash, app_id, kinds, label, prefix, created_at)
       values ($1, $2, $3, $4, $5, $6, $7) returning *`,
      [`wk-${lowerAlnum(12)}`, hashToken(credential), appId, [...new Set(kinds)], label, credential.slice(0, 12), this.clock.now()],
    );
    return { ...toCredential(rows.rows[0]!), credential };
  }

  /** The app's credentials, revoked ones included (with revokedAt), oldest first. */
  async list(appId: string): Promise<WorkerCredential[]> {
    const rows = await this.db.query<Row>("select * from worker_credentials where app_id = $1 order by created_at, credential_id", [appId]);
    return rows.rows.map(toCredential);
  }

  /** Who holds this secret, or null (unknown or revoked). */
  async authenticate(secret: string): Promise<Worker | null> {
    const hash = hashToken(secret);
    return this.cache.get(hash, async () => {
      const rows = await this.db.query<Row>("select * from worker_credentials where credential_hash = $1 and revoked_at is null", [hash]);
      const row = rows.rows[0];
      const app = row && (await this.app(row.app_id));
      return row && app ? { app, credentialId: row.credential_id, kinds: row.kinds } : null;
    });
  }

  /**
   * Revokes a credential of the app (by id): it stops authenticating at once here and within
   * the revocation poll elsewhere. Its leases are left to expire (a task it held goes back to
   * the queue, or fails, as any lost worker's). False when there is no such live credential.
   */
  async revoke(appId: string, credentialId: string): Promise<WorkerCredential | null> {
    const revoked = await this.db.transaction(async (tx) => {
      const now = Date.now();
      const rows = await tx.query<Row>(
        "update worker_credentials set revoked_at = $3 where app_id = $1 and credential_id = $2 and revoked_at is null returning *",
        [appId, credentialId, now],
      );
      const row = rows.rows[0];
      if (row) await this.revocations.record(tx, "worker-credential", row.credential_id, now);
      return row ? toCredential(row) : null;
    });
    if (revoked) this.revocations.changed();
    return revoked;
  }

  /** Forgets every cached lookup (apps were dropped by a reset). */
  forgetAll(): void {
    this.cache.clear();
  }
}
