// Console sessions: who signed in, kept in this process's memory under a random id that
// travels in a signed, HttpOnly, SameSite=Strict cookie. The credentials stay on the server
// (never in the cookie) and are checked again on every request, so a key pair or an admin
// token deleted since the sign-in ends the session at the next click.
//
// Choices: sessions live 8 hours and die with the process (the signing key is made at each
// start); one instance's sessions are not known to another (a deployment behind a load
// balancer needs sticky sessions). At most MAX_SESSIONS are kept; the oldest go first.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Tenancy } from "../tenancy/tenancy.ts";

export const SESSION_TTL_MS = 8 * 3600 * 1000;
const MAX_SESSIONS = 10_000;

/** Who is looking: an account (its own apps only) or an operator with an admin token (every account's apps). */
export type Viewer = { kind: "account"; accountId: string; accountName: string; secretId: string } | { kind: "admin" };

type Held = { kind: "account"; accountId: string; secretId: string } | { kind: "admin"; token: string };

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export class ConsoleSessions {
  private readonly held = new Map<string, { who: Held; expires: number }>();
  private readonly tenancy: Tenancy;

  constructor(tenancy: Tenancy) {
    this.tenancy = tenancy;
  }

  /** Checks the credentials; a new session id, or null when they are wrong. */
  async signIn(input: { secretId?: string; secretKey?: string; adminToken?: string }): Promise<string | null> {
    let who: Held | null = null;
    if (input.adminToken) {
      if (await this.tenancy.checkAdminToken(input.adminToken)) who = { kind: "admin", token: input.adminToken };
    } else if (input.secretId && input.secretKey) {
      const key = await this.tenancy.findKey(input.secretId);
      if (key && sameText(key.secretKey, input.secretKey))
        who = { kind: "account", accountId: key.account.accountId, secretId: input.secretId };
    }
    if (!who) return null;
    const id = randomBytes(24).toString("base64url");
    if (this.held.size >= MAX_SESSIONS) this.held.delete(this.held.keys().next().value!);
    this.held.set(id, { who, expires: Date.now() + SESSION_TTL_MS });
    return id;
  }

  signOut(id: string): void {
    this.held.delete(id);
  }

  /** The viewer of a session id, its credentials checked again; null when gone, expired or revoked. */
  async viewer(id: string): Promise<Viewer | null> {
    const s = this.held.get(id);
    if (!s) return null;
    if (s.expires < Date.now()) {
      this.held.delete(id);
      return null;
    }
    if (s.who.kind === "admin") {
      if (await this.tenancy.checkAdminToken(s.who.token)) return { kind: "admin" };
    } else {
      const key = await this.tenancy.findKey(s.who.secretId);
      if (key && key.account.accountId === s.who.accountId) {
        return { kind: "account", accountId: key.account.accountId, accountName: key.account.name, secretId: s.who.secretId };
      }
    }
    this.held.delete(id);
    return null;
  }
}
