// Browser upload tokens: short-lived credentials scoped to (app, room, user), minted by the
// customer's own backend without a round trip to roomledger, as TRTC's UserSig is: an
// HMAC-SHA256 over the scope and the expiry with the app's browser secret. This module is
// pure (node:crypto only) and shipped as `roomledger/browser-tokens` for Node backends.
//
// Wire form: `rlbt1.<payload>.<signature>`, both base64url; the payload is the JSON
// {"app","room","user","exp"} (exp in Unix seconds) and the signature is over the payload's
// base64url text exactly as sent, so no canonical JSON is needed to verify it.
import { createHmac, timingSafeEqual } from "node:crypto";

export const TOKEN_PREFIX = "rlbt1";
/** Tokens are for one call: a lifetime beyond a day is refused at minting and at verification. */
export const MAX_TOKEN_TTL_S = 24 * 3600;

export interface BrowserTokenScope {
  appId: string;
  roomId: string;
  userId: string;
  /** Unix seconds. */
  expiresAt: number;
}

export interface MintOptions {
  appId: string;
  roomId: string;
  userId: string;
  /** The app's browser secret (admin API `PUT /admin/v1/rtc/apps/{appId}/browser`, CLI `browser-access set`). */
  secret: string;
  /** Lifetime in seconds, 1 to 86400 (default 3600). */
  ttlSeconds?: number;
  /** Unix ms; defaults to Date.now(). */
  now?: number;
}

const b64 = (s: string | Buffer): string => Buffer.from(s).toString("base64url");
const sign = (secret: string, payload: string): Buffer => createHmac("sha256", secret).update(payload).digest();

export function mintBrowserToken(o: MintOptions): string {
  const ttl = o.ttlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_S)
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TOKEN_TTL_S}`);
  for (const [k, v] of [
    ["appId", o.appId],
    ["roomId", o.roomId],
    ["userId", o.userId],
    ["secret", o.secret],
  ] as const) {
    if (typeof v !== "string" || v.length === 0) throw new TypeError(`${k} must be a non-empty string`);
  }
  const exp = Math.floor((o.now ?? Date.now()) / 1000) + ttl;
  const payload = b64(JSON.stringify({ app: o.appId, room: o.roomId, user: o.userId, exp }));
  return `${TOKEN_PREFIX}.${payload}.${b64(sign(o.secret, payload))}`;
}

export type ParsedToken = { scope: BrowserTokenScope; payload: string; signature: Buffer };

/** The claimed scope, not yet verified (the app id says which secret verifies it); null when malformed. */
export function parseBrowserToken(token: string): ParsedToken | null {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX) return null;
  const [, payload, sig] = parts as [string, string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const c = claims as Record<string, unknown>;
  const str = (v: unknown): v is string => typeof v === "string" && v.length > 0;
  if (!c || typeof c !== "object" || !str(c.app) || !str(c.room) || !str(c.user) || !Number.isSafeInteger(c.exp)) return null;
  return {
    scope: { appId: c.app, roomId: c.room, userId: c.user, expiresAt: c.exp as number },
    payload,
    signature: Buffer.from(sig, "base64url"),
  };
}

export type Verdict =
  | { ok: true; scope: BrowserTokenScope }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" | "too-long-lived" };

/** Checks a parsed token against the app's secret at `now` (Unix ms). */
export function verifyBrowserToken(parsed: ParsedToken, secret: string, now: number): Verdict {
  const expected = sign(secret, parsed.payload);
  if (parsed.signature.length !== expected.length || !timingSafeEqual(parsed.signature, expected))
    return { ok: false, reason: "bad-signature" };
  const nowS = Math.floor(now / 1000);
  if (parsed.scope.expiresAt <= nowS) return { ok: false, reason: "expired" };
  if (parsed.scope.expiresAt > nowS + MAX_TOKEN_TTL_S + 60) return { ok: false, reason: "too-long-lived" };
  return { ok: true, scope: parsed.scope };
}
