// SDK-HMAC-SHA256, the AK/SK signature of Huawei Cloud's API gateway, verified server-side
// (reference §4), and its derived variant V11-HMAC-SHA256 (the SDK's DerivedAKSKSigner,
// for clients built with withDerivedAuthServiceName): the same canonical request, a
// string to sign with the credential scope `<yyyymmdd>/<region>/<service>` as its third
// line, and a key derived from the AK/SK for that scope by HKDF-SHA256. Pure functions: no
// HTTP types, so the test vector and property tests run without a server.
import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

export const ALGORITHM = "SDK-HMAC-SHA256";
export const DERIVED_ALGORITHM = "V11-HMAC-SHA256";
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface HuaweiAuthorization {
  accessKey: string;
  /** The derived variant's credential scope, `<yyyymmdd>/<region>/<service>`; absent for SDK-HMAC-SHA256. */
  scope?: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=a;b, Signature=<hex>` or
 * `V11-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/<service>, SignedHeaders=a;b, Signature=<hex>`
 * (no comma after the algorithm). A region or service of more than 64 characters is refused
 * here: HKDF takes at most 1,024 bytes of info.
 */
export function parseAuthorization(value: string): HuaweiAuthorization | null {
  const m =
    /^(SDK-HMAC-SHA256\s+Access=([^,\s]+)|V11-HMAC-SHA256\s+Credential=([^,\s/]+)\/(\d{8}\/[^,\s/]{1,64}\/[^,\s/]{1,64})),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)\s*$/.exec(
      value,
    );
  if (!m) return null;
  const signed = { signedHeaders: m[5]!.toLowerCase().split(";"), signature: m[6]!.toLowerCase() };
  return m[2] !== undefined ? { accessKey: m[2], ...signed } : { accessKey: m[3]!, scope: m[4]!, ...signed };
}

/** RFC 3986 encoding of every UTF-8 byte except A-Z a-z 0-9 - _ . ~ (uppercase hex). */
export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The path as received (still percent-encoded), each segment encoded again, with a trailing
 * slash: the Node SDK encodes the already-encoded path it sends, so we do the same.
 */
export function canonicalUri(rawPath: string): string {
  const encoded = rawPath.split("/").map(encodeRfc3986).join("/");
  return encoded.endsWith("/") ? encoded : `${encoded}/`;
}

/** Raw query → decoded pairs (`+` is a space). Throws on malformed percent-encoding. */
export function decodeQuery(rawQuery: string): [string, string][] {
  const out: [string, string][] = [];
  if (rawQuery === "") return out;
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? "" : part.slice(eq + 1);
    out.push([decodeURIComponent(k.replace(/\+/g, " ")), decodeURIComponent(v.replace(/\+/g, " "))]);
  }
  return out;
}

/**
 * Names sorted, a repeated name emitting one pair per value, values sorted. The order is
 * JavaScript's default (UTF-16 code units), which is what the Node SDK's signer uses; it
 * differs from byte order only outside the Basic Multilingual Plane (property-tested
 * against the real signer).
 */
export function canonicalQuery(pairs: readonly [string, string][]): string {
  const byName = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    const list = byName.get(k);
    if (list) list.push(v);
    else byName.set(k, [v]);
  }
  const out: string[] = [];
  for (const name of [...byName.keys()].sort()) {
    for (const v of byName.get(name)!.sort()) out.push(`${encodeRfc3986(name)}=${encodeRfc3986(v)}`);
  }
  return out.join("&");
}

export interface SigningInput {
  method: string;
  rawPath: string;
  pairs: readonly [string, string][];
  /** Lowercase signed header names, in the order of the Authorization header. */
  signedHeaders: readonly string[];
  /** Values of the signed headers by lowercase name. */
  headers: Readonly<Record<string, string>>;
  /** X-Sdk-Content-Sha256 if sent, else the SHA-256 hex of the body. */
  payloadHash: string;
  sdkDate: string;
}

export function canonicalRequest(i: SigningInput): string {
  const names = [...i.signedHeaders].sort();
  const headerBlock = names.map((n) => `${n}:${(i.headers[n] ?? "").trim()}\n`).join("");
  return [i.method.toUpperCase(), canonicalUri(i.rawPath), canonicalQuery(i.pairs), headerBlock, names.join(";"), i.payloadHash].join("\n");
}

export const sha256Hex = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
export const payloadHashOf = (body: Buffer | null): string => (body && body.length > 0 ? sha256Hex(body) : EMPTY_SHA256);

/** With a scope, the derived variant's (the scope is its third line). */
export function stringToSign(sdkDate: string, canonical: string, scope?: string): string {
  return scope === undefined
    ? `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`
    : `${DERIVED_ALGORITHM}\n${sdkDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/**
 * The derived variant's signing key: HKDF-SHA256 with the SK as input key, the AK as salt and
 * the scope as info, 32 bytes, used (as the SDK uses it) as the UTF-8 of its lowercase hex.
 */
export function derivedSigningKey(accessKey: string, secretKey: string, scope: string): string {
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(secretKey, "utf8"), Buffer.from(accessKey, "utf8"), Buffer.from(scope, "utf8"), 32),
  ).toString("hex");
}

export function signature(secretKey: string, toSign: string): string {
  return createHmac("sha256", Buffer.from(secretKey, "utf8")).update(toSign).digest("hex");
}

export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `YYYYMMDDTHHMMSSZ` → Unix ms, or null. */
export function parseSdkDate(v: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const back = new Date(t);
  // Reject dates that Date.UTC silently normalised (month 13, second 61, ...).
  const same =
    back.getUTCFullYear() === +m[1]! &&
    back.getUTCMonth() === +m[2]! - 1 &&
    back.getUTCDate() === +m[3]! &&
    back.getUTCHours() === +m[4]! &&
    back.getUTCMinutes() === +m[5]! &&
    back.getUTCSeconds() === +m[6]!;
  if (!same) return null;
  return t;
}
