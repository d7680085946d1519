// X-Auth-Token tokens for the Huawei gateway. Huawei's come from IAM; roomledger's are
// issued by the admin API (`roomledger tokens create`), belong to one account (its project),
// expire (24 h by default, as IAM tokens do) and are stored as SHA-256 hashes only.
import type { Db } from "../../storage/db.ts";
import type { Account } from "../../tenancy/accounts.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { hashToken } from "../../tenancy/tenancy.ts";
import type { HuaweiTokenVerifier } from "../../protocols/huawei/route.ts";
import { alnum } from "../../ids.ts";

export const DEFAULT_TOKEN_TTL_S = 24 * 3600;

export class RtcTokens implements HuaweiTokenVerifier {
  // Tokens never change once issued: positive lookups are cached (expiry is checked by the
  // gateway on every request).
  private readonly cache = new Map<string, { account: Account; expiresAt: number }>();
  private readonly db: Db;
  private readonly tenancy: Tenancy;

  constructor(db: Db, tenancy: Tenancy) {
    this.db = db;
    this.tenancy = tenancy;
  }

  /** Expiry is wall time, like every credential lifetime (the domain clock may be moved). */
  async create(account: Account, label: string, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
    const token = `MIIrl${alnum(60)}`;
    const expiresAt = Date.now() + ttlSeconds * 1000;
    await this.db.query("insert into rtc_auth_tokens (token_hash, account_id, label, created_at, expires_at) values ($1, $2, $3, $4, $5)", [
      hashToken(token),
      account.accountId,
      label,
      Date.now(),
      expiresAt,
    ]);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<{ account: Account; expiresAt: number } | null> {
    const hash = hashToken(token);
    const hit = this.cache.get(hash);
    if (hit) return hit;
    const rows = await this.db.query<{ account_id: string; expires_at: number }>(
      "select account_id, expires_at from rtc_auth_tokens where token_hash = $1",
      [hash],
    );
    const row = rows.rows[0];
    if (!row) return null;
    const account = await this.tenancy.account(row.account_id);
    if (!account) return null;
    const found = { account, expiresAt: Number(row.expires_at) };
    this.cache.set(hash, found);
    return found;
  }
}

const byDb = new WeakMap<object, RtcTokens>();
export function tokensOf(db: Db, tenancy: Tenancy): RtcTokens {
  let t = byDb.get(db);
  if (!t) byDb.set(db, (t = new RtcTokens(db, tenancy)));
  return t;
}
