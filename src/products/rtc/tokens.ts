// X-Auth-Token tokens for the Huawei gateway. Huawei's come from IAM; roomledger's are
// issued by the admin API (`roomledger tokens create`), belong to one account (its project),
// expire (24 h by default, as IAM tokens do), are stored as SHA-256 hashes only, and can be
// revoked (`roomledger tokens revoke`): a revoked token is answered as an unknown one.
import type { Db } from "../../storage/db.ts";
import type { Account } from "../../tenancy/accounts.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { hashToken } from "../../tenancy/tenancy.ts";
import type { HuaweiTokenVerifier } from "../../protocols/huawei/route.ts";
import type { CredentialCache } from "../../tenancy/revocations.ts";
import { alnum } from "../../ids.ts";

export const DEFAULT_TOKEN_TTL_S = 24 * 3600;

export class RtcTokens implements HuaweiTokenVerifier {
  // Positive lookups are cached until some credential is revoked (tenancy/revocations.ts:
  // at once here, within the revocation poll on other instances); expiry is checked by the
  // gateway on every request.
  private made?: CredentialCache<string, { account: Account; expiresAt: number }>;
  private readonly db: Db;
  private readonly tenancy: Tenancy;

  constructor(db: Db, tenancy: Tenancy) {
    this.db = db;
    this.tenancy = tenancy;
  }

  /** Made at first use: building the product's route table touches nothing (boundaries.test.ts lists it). */
  private get cache(): CredentialCache<string, { account: Account; expiresAt: number }> {
    return (this.made ??= this.tenancy.revocations.cache());
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
    return this.cache.get(hash, async () => {
      const rows = await this.db.query<{ account_id: string; expires_at: number }>(
        "select account_id, expires_at from rtc_auth_tokens where token_hash = $1 and revoked_at is null",
        [hash],
      );
      const row = rows.rows[0];
      const account = row && (await this.tenancy.account(row.account_id));
      return row && account ? { account, expiresAt: Number(row.expires_at) } : null;
    });
  }

  /** Revokes a token; false when it is unknown or revoked already. */
  async revoke(token: string): Promise<boolean> {
    const hash = hashToken(token);
    const revocations = this.tenancy.revocations;
    const done = await this.db.transaction(async (tx) => {
      const now = Date.now();
      const res = await tx.query("update rtc_auth_tokens set revoked_at = $2 where token_hash = $1 and revoked_at is null", [hash, now]);
      if (res.rowCount === 0) return false;
      await revocations.record(tx, "huawei-token", hash.slice(0, 12), now);
      return true;
    });
    if (done) revocations.changed();
    return done;
  }
}

const byDb = new WeakMap<object, RtcTokens>();
export function tokensOf(db: Db, tenancy: Tenancy): RtcTokens {
  let t = byDb.get(db);
  if (!t) byDb.set(db, (t = new RtcTokens(db, tenancy)));
  return t;
}
