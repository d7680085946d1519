// LiveKit's webhook authentication: the `Authorization` header is a JWT (HS256) issued by the
// API key (`iss`) and signed with its secret, whose `sha256` claim is the base64 SHA-256 of
// the raw body. Checked as livekit-server-sdk's WebhookReceiver checks it (jose, the same
// library; `exp` required; 10 s of clock tolerance), against the key registered for an app
// with `roomledger source link --kind livekit`. Token times are wall-clock times (LiveKit's
// clock), not the ledger's domain clock.
import { createHash, timingSafeEqual } from "node:crypto";
import { decodeJwt, jwtVerify } from "jose";
import { nativeErrors } from "../../errors/native.ts";
import type { Queryable } from "../../storage/db.ts";
import { signingSecret } from "../mapping/links-store.ts";

const CLOCK_TOLERANCE_S = 10;

export interface VerifiedCaller {
  appId: string;
  /** The body's SHA-256 as the token claims it (base64), checked once the body is read. */
  sha256: string;
}

/** The token of the header: LiveKit sends it bare; "Bearer <jwt>" is accepted too. */
function tokenOf(header: unknown): string {
  const h = typeof header === "string" ? header.trim() : "";
  const m = /^(?:Bearer\s+)?([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(h);
  if (!m) throw nativeErrors.unauthorized("a LiveKit webhook token is required in the Authorization header");
  return m[1]!;
}

/** Verifies the header's token (before the body is read); the app it speaks for. */
export async function verifyWebhookToken(q: Queryable, header: unknown): Promise<VerifiedCaller> {
  const token = tokenOf(header);
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw nativeErrors.unauthorized("the webhook token is not a JWT");
  }
  if (typeof issuer !== "string" || issuer === "") throw nativeErrors.unauthorized("the webhook token names no API key (iss)");
  const link = await signingSecret(q, "livekit", issuer);
  if (!link) throw nativeErrors.unauthorized(`unknown LiveKit API key ${issuer.slice(0, 64)}: link it with roomledger source link`);
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(link.secret), {
      issuer,
      algorithms: ["HS256"],
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["exp"],
    }));
  } catch (err) {
    throw nativeErrors.unauthorized(`the webhook token does not verify: ${(err as Error).message}`);
  }
  if (typeof claims.sha256 !== "string" || claims.sha256 === "") throw nativeErrors.unauthorized("the webhook token has no sha256 claim");
  return { appId: link.appId, sha256: claims.sha256 };
}

/** The body must be the one the token was made for. */
export function checkBodyHash(body: Buffer, claimed: string): void {
  const actual = createHash("sha256").update(body).digest();
  const wanted = Buffer.from(claimed, "base64");
  if (wanted.length !== actual.length || !timingSafeEqual(wanted, actual)) {
    throw nativeErrors.unauthorized("the body does not match the webhook token's sha256 claim");
  }
}
