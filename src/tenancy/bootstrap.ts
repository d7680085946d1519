// First start: create an account with a key pair and an admin token, print them once and
// save them, readable only by the owner, in the data directory.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import type { Db } from "../storage/db.ts";
import type { Tenancy } from "./tenancy.ts";

export interface Credentials {
  accountId: string;
  secretId: string;
  secretKey: string;
  huaweiProjectId: string;
  adminToken: string;
  /** Filled in by the server when it listens, for the CLI. */
  url?: string;
  adminUrl?: string;
}

export const credentialsPath = (dataDir: string): string => join(dataDir, "credentials.json");

export function readCredentials(dataDir: string): Credentials | null {
  const path = credentialsPath(dataDir);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, "utf8")) as Credentials;
}

export function writeCredentials(dataDir: string, creds: Credentials): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const path = credentialsPath(dataDir);
  writeFileSync(path, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Returns the credentials and whether they were just created (to print them once). */
export async function bootstrap(db: Db, tenancy: Tenancy, config: Config): Promise<{ creds: Credentials; created: boolean }> {
  // In memory nothing is read from or written to disk: the credentials are printed only.
  const saved = config.inMemory ? null : readCredentials(config.dataDir);
  return db
    .transaction(async (tx) => {
      // Several instances may start together on one PostgreSQL: one creates, the others wait.
      await tx.query("select pg_advisory_xact_lock(727275)");
      const existing = await tx.query<{ account_id: string; huawei_project_id: string }>(
        "select account_id, huawei_project_id from accounts order by created_at, account_id limit 1",
      );
      const pinned =
        config.pinnedSecretId && config.pinnedSecretKey
          ? { secretId: config.pinnedSecretId, secretKey: config.pinnedSecretKey }
          : undefined;
      let row = existing.rows[0];
      let created = false;
      let key: { secretId: string; secretKey: string };
      let adminToken: string;
      if (!row) {
        const account = await tenancy.createAccount("default", tx);
        row = { account_id: account.accountId, huawei_project_id: account.huaweiProjectId };
        key = await tenancy.createKey(account.accountId, pinned, tx);
        adminToken = config.pinnedAdminToken ?? saved?.adminToken ?? "";
        created = true;
      } else {
        if (pinned) key = await tenancy.createKey(row.account_id, pinned, tx);
        else if (saved && saved.accountId === row.account_id) key = saved;
        else {
          const k = await tx.query<{ secret_id: string; secret_key: string }>(
            "select secret_id, secret_key from api_keys where account_id = $1 order by created_at limit 1",
            [row.account_id],
          );
          key = { secretId: k.rows[0]!.secret_id, secretKey: k.rows[0]!.secret_key };
        }
        adminToken = config.pinnedAdminToken ?? saved?.adminToken ?? "";
      }
      return { row, key, adminToken, created };
    })
    .then(async ({ row, key, adminToken, created }) => {
      // An admin token we can show: pinned, saved, or a new one.
      const token = await tenancy.createAdminToken("bootstrap", adminToken || undefined);
      const creds: Credentials = {
        accountId: row.account_id,
        secretId: key.secretId,
        secretKey: key.secretKey,
        huaweiProjectId: row.huawei_project_id,
        adminToken: token,
      };
      if (!config.inMemory) writeCredentials(config.dataDir, creds);
      return { creds, created };
    });
}
