// Accounts, their key pairs, apps per product, ingest keys and admin tokens.
import { createHash } from "node:crypto";
import type { Db, Queryable } from "../storage/db.ts";
import type { Clock } from "../time/clock.ts";
import { alnum, hex, lowerAlnum } from "../ids.ts";
import type { Account, App, AppLookup } from "./accounts.ts";
import { randomAppId, type AppIdShape } from "./app-id.ts";

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

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
  // Keys and apps are read on every request; they are immutable once created, so positive
  // lookups are cached for the life of the process (misses always go to the database, so
  // a key created by another instance is found).
  private readonly keys = new Map<string, { account: Account; secretKey: string }>();
  private readonly apps = new Map<string, App>();
  private readonly ingestKeys = new Map<string, App>();

  private readonly db: Db;
  private readonly clock: Clock;

  /** The id shape of each product that declares one (the registry's), by product name. */
  private readonly appIdShapes: ReadonlyMap<string, AppIdShape>;

  constructor(db: Db, clock: Clock, appIdShapes: ReadonlyMap<string, AppIdShape> = new Map()) {
    this.db = db;
    this.clock = clock;
    this.appIdShapes = appIdShapes;
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

  async findKey(secretId: string): Promise<{ account: Account; secretKey: string } | null> {
    const hit = this.keys.get(secretId);
    if (hit) return hit;
    const rows = await this.db.query<AccountRow & { secret_key: string }>(
      `select a.*, k.secret_key from api_keys k join accounts a using (account_id) where k.secret_id = $1`,
      [secretId],
    );
    const row = rows.rows[0];
    if (!row) return null;
    const found = { account: toAccount(row), secretKey: row.secret_key };
    this.keys.set(secretId, found);
    return found;
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
    for (const [hash, app] of this.ingestKeys) if (app.appId === appId) this.ingestKeys.delete(hash);
  }

  /** Drops every app and ingest key from the cache (a development reset dropped the apps). */
  forgetAllApps(): void {
    this.apps.clear();
    this.ingestKeys.clear();
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

  async appOfIngestKey(key: string): Promise<App | null> {
    const hash = hashToken(key);
    const hit = this.ingestKeys.get(hash);
    if (hit) return hit;
    const rows = await this.db.query<AppRow>("select a.* from ingest_keys k join apps a using (app_id) where k.key_hash = $1", [hash]);
    const row = rows.rows[0];
    if (!row) return null;
    const app = toApp(row);
    this.ingestKeys.set(hash, app);
    return app;
  }

  async createAdminToken(label: string, pinned?: string): Promise<string> {
    const token = pinned ?? `rladm_${alnum(40)}`;
    await this.db.query(
      "insert into admin_tokens (token_hash, label, created_at) values ($1, $2, $3) on conflict (token_hash) do nothing",
      [hashToken(token), label, this.clock.now()],
    );
    return token;
  }

  async checkAdminToken(token: string): Promise<boolean> {
    const rows = await this.db.query("select 1 from admin_tokens where token_hash = $1", [hashToken(token)]);
    return rows.rows.length > 0;
  }
}
