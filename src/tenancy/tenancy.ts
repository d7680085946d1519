// Accounts, their key pairs, apps per product, ingest keys, admin tokens and worker
// credentials, and the revocation of each (revocations.ts bounds how long a lookup is cached).
import type { Db, Queryable } from "../storage/db.ts";
import type { Clock } from "../time/clock.ts";
import { alnum, hex, lowerAlnum } from "../ids.ts";
import type { Account, App, AppLookup } from "./accounts.ts";
import { randomAppId, type AppIdShape } from "./app-id.ts";
import { hashToken } from "./token-hash.ts";
import { Revocations, type CredentialCache } from "./revocations.ts";
import { WorkerCredentials } from "./worker-credentials.ts";

export { hashToken };

interface AccountRow {
  account_id: string;
  name: string;
  huawei_project_id: string;
}
interface AppRow {
  app_id: string;
  account_id: string;
  products: string[];
  name: string;
  created_at: number;
}

const toAccount = (r: AccountRow): Account => ({
  accountId: r.account_id,
  name: r.name,
  huaweiProjectId: r.huawei_project_id,
});
const toApp = (r: AppRow): App => ({
  appId: r.app_id,
  accountId: r.account_id,
  products: r.products,
  name: r.name,
  createdAt: r.created_at,
});

export class Tenancy {
  // Keys and apps are read on every request, so positive lookups are cached (misses always go
  // to the database, so a key created by another instance is found). Apps are immutable but
  // for renames and deletes, which drop them here. Credentials can be revoked: their caches
  // forget everything when `revocations` moves (see revocations.ts for how fast, where).
  readonly revocations: Revocations;
  readonly workers: WorkerCredentials;
  private readonly keys: CredentialCache<string, { account: Account; secretKey: string }>;
  private readonly apps = new Map<string, App>();
  private readonly ingestKeys: CredentialCache<string, App>;

  private readonly db: Db;
  private readonly clock: Clock;

  /** The id shape of each product that declares one (the registry's), by product name. */
  private readonly appIdShapes: ReadonlyMap<string, AppIdShape>;

  constructor(db: Db, clock: Clock, appIdShapes: ReadonlyMap<string, AppIdShape> = new Map()) {
    this.db = db;
    this.clock = clock;
    this.appIdShapes = appIdShapes;
    this.revocations = new Revocations(db);
    this.keys = this.revocations.cache();
    this.ingestKeys = this.revocations.cache();
    this.workers = new WorkerCredentials(db, clock, this.revocations, (appId) => this.app(appId));
  }

  async createAccount(name: string, q: Queryable): Promise<Account> {
    const row = await q.query<AccountRow>(
      "insert into accounts (account_id, name, huawei_project_id, created_at) values ($1, $2, $3, $4) returning *",
      [`acc-${lowerAlnum(12)}`, name, hex(16), this.clock.now()],
    );
    return toAccount(row.rows[0]!);
  }

  async accounts(): Promise<Account[]> {
    const rows = await this.db.query<AccountRow>("select * from accounts order by created_at, account_id");
    return rows.rows.map(toAccount);
  }

  async account(accountId: string): Promise<Account | null> {
    const rows = await this.db.query<AccountRow>("select * from accounts where account_id = $1", [accountId]);
    return rows.rows[0] ? toAccount(rows.rows[0]) : null;
  }

  async accountByHuaweiProject(projectId: string): Promise<Account | null> {
    const rows = await this.db.query<AccountRow>("select * from accounts where huawei_project_id = $1", [projectId]);
    return rows.rows[0] ? toAccount(rows.rows[0]) : null;
  }

  /** Creates a key pair; pinned values are used as given (reproducible test set-ups). */
  async createKey(
    accountId: string,
    pinned: { secretId: string; secretKey: string } | undefined,
    q: Queryable,
  ): Promise<{ secretId: string; secretKey: string }> {
    const secretId = pinned?.secretId ?? `AKID${alnum(32)}`;
    const secretKey = pinned?.secretKey ?? alnum(32);
    await q.query(
      `insert into api_keys (secret_id, account_id, secret_key, created_at) values ($1, $2, $3, $4)
       on conflict (secret_id) do update set secret_key = excluded.secret_key, account_id = excluded.account_id`,
      [secretId, accountId, secretKey, this.clock.now()],
    );
    this.keys.delete(secretId);
    return { secretId, secretKey };
  }

  /** The key pair's account and SecretKey; null when unknown or revoked. */
  async findKey(secretId: string): Promise<{ account: Account; secretKey: string } | null> {
    return this.keys.get(secretId, async () => {
      const rows = await this.db.query<AccountRow & { secret_key: string }>(
        `select a.*, k.secret_key from api_keys k join accounts a using (account_id) where k.secret_id = $1 and k.revoked_at is null`,
        [secretId],
      );
      const row = rows.rows[0];
      return row ? { account: toAccount(row), secretKey: row.secret_key } : null;
    });
  }

  /**
   * findKey's answer when it is cached (no promise, no wait: the Tencent gateway's hot path,
   * issue 22); undefined when it is not, and findKey must look.
   */
  cachedKey(secretId: string): { account: Account; secretKey: string } | undefined {
    return this.keys.peek(secretId);
  }

  /** The key pairs of an account (SecretKeys left out), revoked ones with revokedAt. */
  async keysOf(accountId: string): Promise<{ secretId: string; createdAt: number; revokedAt: number | null }[]> {
    const rows = await this.db.query<{ secret_id: string; created_at: string; revoked_at: string | null }>(
      "select secret_id, created_at, revoked_at from api_keys where account_id = $1 order by created_at, secret_id",
      [accountId],
    );
    return rows.rows.map((r) => ({
      secretId: r.secret_id,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  /**
   * Revokes a key pair (Tencent SecretId, and the same pair as Huawei AK/SK): calls signed
   * with it are refused as an unknown SecretId / AK from now on. False when no live key has it.
   */
  async revokeKey(secretId: string): Promise<boolean> {
    return this.revoke("api-key", secretId, "update api_keys set revoked_at = $2 where secret_id = $1 and revoked_at is null", [secretId]);
  }

  /**
   * Creates an app. Ids take the shape the products declare (app-id.ts): the first
   * non-numeric one among the app's products, else an integer SdkAppId/BizId.
   */
  async createApp(accountId: string, products: string[], name: string, q: Queryable): Promise<App> {
    const shape = products.map((p) => this.appIdShapes.get(p) ?? "numeric").find((s) => s !== "numeric");
    let appId: string;
    const random = shape ? randomAppId(shape) : null;
    if (random !== null) appId = random;
    else {
      const seq = await q.query<{ id: number }>("select nextval('app_numeric_id') as id");
      appId = String(seq.rows[0]!.id);
    }
    const rows = await q.query<AppRow>(
      "insert into apps (app_id, account_id, products, name, created_at) values ($1, $2, $3, $4, $5) returning *",
      [appId, accountId, products, name, this.clock.now()],
    );
    return toApp(rows.rows[0]!);
  }

  async app(appId: string): Promise<App | null> {
    const hit = this.apps.get(appId);
    if (hit) return hit;
    const rows = await this.db.query<AppRow>("select * from apps where app_id = $1", [appId]);
    const row = rows.rows[0];
    if (!row) return null;
    const app = toApp(row);
    this.apps.set(appId, app);
    return app;
  }

  /** Drops an app from the cache after a change (rename, delete). */
  forgetApp(appId: string): void {
    this.apps.delete(appId);
    this.ingestKeys.deleteWhere((app) => app.appId === appId);
    this.workers.forgetAll();
  }

  /** Drops every app, ingest key and worker credential from the cache (a development reset dropped the apps). */
  forgetAllApps(): void {
    this.apps.clear();
    this.ingestKeys.clear();
    this.workers.forgetAll();
  }

  /** Deletes an app (its ingest keys go with it); the product deletes its own rows first. */
  async deleteApp(appId: string, q: Queryable): Promise<void> {
    await q.query("delete from apps where app_id = $1", [appId]);
    this.forgetApp(appId);
  }

  async lookupApp(appId: string | number, accountId: string): Promise<AppLookup> {
    const app = await this.app(String(appId));
    if (!app) return { kind: "missing" };
    return app.accountId === accountId ? { kind: "own", app } : { kind: "foreign", app };
  }

  async appsOf(accountId: string, product?: string): Promise<App[]> {
    const rows = await this.db.query<AppRow>(
      `select * from apps where account_id = $1 and ($2::text is null or $2 = any(products)) order by created_at, app_id`,
      [accountId, product ?? null],
    );
    return rows.rows.map(toApp);
  }

  async createIngestKey(appId: string): Promise<{ key: string; prefix: string }> {
    const key = `rlik_${alnum(40)}`;
    const prefix = key.slice(0, 12);
    await this.db.query("insert into ingest_keys (key_hash, app_id, prefix, created_at) values ($1, $2, $3, $4)", [
      hashToken(key),
      appId,
      prefix,
      this.clock.now(),
    ]);
    return { key, prefix };
  }

  /** The app of a live ingest key; null when unknown or revoked. */
  async appOfIngestKey(key: string): Promise<App | null> {
    const hash = hashToken(key);
    return this.ingestKeys.get(hash, async () => {
      const rows = await this.db.query<AppRow>(
        "select a.* from ingest_keys k join apps a using (app_id) where k.key_hash = $1 and k.revoked_at is null",
        [hash],
      );
      return rows.rows[0] ? toApp(rows.rows[0]) : null;
    });
  }

  /** The ingest keys of an app, by prefix (the keys themselves are not kept), revoked ones with revokedAt. */
  async ingestKeysOf(appId: string): Promise<{ prefix: string; createdAt: number; revokedAt: number | null }[]> {
    const rows = await this.db.query<{ prefix: string; created_at: string; revoked_at: string | null }>(
      "select prefix, created_at, revoked_at from ingest_keys where app_id = $1 order by created_at, prefix",
      [appId],
    );
    return rows.rows.map((r) => ({
      prefix: r.prefix,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
    }));
  }

  /**
   * Revokes an app's ingest key, named by the key itself or by its prefix (what creation and
   * the list show). Returns how many live keys it revoked: 0 when none matched; a prefix that
   * more than one live key shares revokes none and returns -1 (say the key instead).
   */
  async revokeIngestKey(appId: string, which: { key?: string; prefix?: string }): Promise<number> {
    const byKey = which.key !== undefined;
    const match = byKey ? hashToken(which.key!) : which.prefix!;
    const live = await this.db.query<{ key_hash: string }>(
      `select key_hash from ingest_keys where app_id = $1 and ${byKey ? "key_hash" : "prefix"} = $2 and revoked_at is null`,
      [appId, match],
    );
    if (live.rows.length > 1) return -1;
    const hash = live.rows[0]?.key_hash;
    if (!hash) return 0;
    const done = await this.revoke(
      "ingest-key",
      `${appId}/${which.prefix ?? match.slice(0, 12)}`,
      "update ingest_keys set revoked_at = $2 where key_hash = $1 and revoked_at is null",
      [hash],
    );
    return done ? 1 : 0;
  }

  async createAdminToken(label: string, pinned?: string): Promise<string> {
    const token = pinned ?? `rladm_${alnum(40)}`;
    await this.db.query(
      "insert into admin_tokens (token_hash, label, created_at) values ($1, $2, $3) on conflict (token_hash) do nothing",
      [hashToken(token), label, this.clock.now()],
    );
    return token;
  }

  /** Not cached: the admin API is not a hot path, so a revoked token is refused at once everywhere. */
  async checkAdminToken(token: string): Promise<boolean> {
    const rows = await this.db.query("select 1 from admin_tokens where token_hash = $1 and revoked_at is null", [hashToken(token)]);
    return rows.rows.length > 0;
  }

  /**
   * Revokes an admin token. Refused ("last") when it is the last live one: the admin API
   * would then be shut for good (a restart does not help: a pinned token stays revoked).
   */
  async revokeAdminToken(token: string): Promise<"revoked" | "unknown" | "last"> {
    const hash = hashToken(token);
    const live = await this.db.query<{ token_hash: string }>("select token_hash from admin_tokens where revoked_at is null");
    if (!live.rows.some((r) => r.token_hash === hash)) return "unknown";
    if (live.rows.length === 1) return "last";
    const done = await this.revoke(
      "admin-token",
      hash.slice(0, 12),
      "update admin_tokens set revoked_at = $2 where token_hash = $1 and revoked_at is null",
      [hash],
    );
    return done ? "revoked" : "unknown";
  }

  /**
   * Marks one credential revoked (`update` sets revoked_at = $2 on its row, keyed by `params`
   * from $1) and records the revocation, in one transaction; then this process's caches
   * forget their lookups. False when the update touched nothing (unknown, or revoked already).
   */
  private async revoke(
    kind: "api-key" | "ingest-key" | "admin-token",
    credential: string,
    update: string,
    params: unknown[],
  ): Promise<boolean> {
    const done = await this.db.transaction(async (tx) => {
      const now = Date.now();
      const res = await tx.query(update, [...params, now]);
      if (res.rowCount === 0) return false;
      await this.revocations.record(tx, kind, credential, now);
      return true;
    });
    if (done) this.revocations.changed();
    return done;
  }
}
