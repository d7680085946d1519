// TC3-HMAC-SHA256 (Tencent Cloud API signature v3), reference §2.
import { createHmac, hash } from "node:crypto";

// One-shot hashing: a Hash object per call (createHash().update().digest()) costs about three
// times the hash of a short request itself (bench/echo-profile.ts).
const sha256hex = (data: string | Buffer): string => hash("sha256", data, "hex");
const hmac = (key: string | Buffer, msg: string): Buffer => createHmac("sha256", key).update(msg).digest();

export interface Tc3Input {
  method: string;
  /** CanonicalURI: the request pathname as sent. */
  path: string;
  /** CanonicalQueryString: the raw query string as sent (no re-encoding, no sorting). */
  query: string;
  /** Lower-case header name → value, for each signed header. */
  headers: Record<string, string>;
  signedHeaders: readonly string[];
  payload: Buffer | string;
  timestamp: number;
  service: string;
  secretKey: string;
}

// The signed-header list as the canonical request writes it, for the last list seen: the
// gateway passes the same array for every request of a scope (parseTc3Authorization's cache).
let lastSigned: readonly string[] | null = null;
let lastSignedText = "";

export function tc3Signature(i: Tc3Input): string {
  let canonicalHeaders = "";
  for (const h of i.signedHeaders) canonicalHeaders += `${h}:${(i.headers[h] ?? "").trim().toLowerCase()}\n`;
  if (i.signedHeaders !== lastSigned) {
    lastSignedText = i.signedHeaders.join(";");
    lastSigned = i.signedHeaders;
  }
  const canonicalRequest = `${i.method}\n${i.path}\n${i.query}\n${canonicalHeaders}\n${lastSignedText}\n${sha256hex(i.payload)}`;
  const date = utcDate(i.timestamp);
  const scope = `${date}/${i.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${i.timestamp}\n${scope}\n${sha256hex(canonicalRequest)}`;
  return hmacHex(signingKey(i.secretKey, date, i.service), stringToSign);
}

// The credential scope's UTC date of a timestamp (YYYY-MM-DD), of the last day asked for kept:
// every request of a day asks for the same one.
let lastDay = Number.NaN;
let lastDate = "";
function utcDate(timestamp: number): string {
  const day = Math.floor(timestamp / 86_400);
  if (day !== lastDay) {
    lastDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastDate;
}

// The signing key depends only on (SecretKey, date, service): derived once and cached, which
// saves three of the four HMACs per request on the gateway's hot path (bench/gateway.ts).
// Bounded: cleared when full (a new day or many keys just derive again).
const SIGNING_KEYS_MAX = 4096;
const signingKeys = new Map<string, SigningKey>();

/** A 32-byte HMAC-SHA256 key as RFC 2104 uses it: zero-padded to SHA-256's 64-byte block, XORed with each pad. */
interface SigningKey {
  inner: Buffer;
  outer: Buffer;
}

// The last key used, in front of the map: a request of the same key, day and service (the
// usual case) is answered by three string comparisons (the same string objects each time:
// the key's cached SecretKey, the day's date, the scope's service) instead of building and
// hashing the map's key (issue 22).
let last: { secretKey: string; date: string; service: string; key: SigningKey } | null = null;

function signingKey(secretKey: string, date: string, service: string): SigningKey {
  if (last !== null && last.secretKey === secretKey && last.date === date && last.service === service) return last.key;
  const id = `${date}\n${service}\n${secretKey}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    const kDate = hmac(`TC3${secretKey}`, date);
    const kService = hmac(kDate, service);
    const kSigning = hmac(kService, "tc3_request");
    key = { inner: Buffer.alloc(64, 0x36), outer: Buffer.alloc(64, 0x5c) };
    for (let b = 0; b < kSigning.length; b++) {
      key.inner[b]! ^= kSigning[b]!;
      key.outer[b]! ^= kSigning[b]!;
    }
    if (signingKeys.size >= SIGNING_KEYS_MAX) signingKeys.clear();
    signingKeys.set(id, key);
  }
  last = { secretKey, date, service, key };
  return key;
}

// The last HMAC of every request, H((K ^ opad) || H((K ^ ipad) || message)), as two one-shot
// hashes of the cached padded key: createHmac builds an OpenSSL MAC context per call and
// fetches the algorithm again each time, ~2.4 µs of the gateway's CPU per request under load,
// about twice this (issue 22). test/platform/signature.test.ts checks it against createHmac.
// The padded key and the message are written into one scratch buffer (no Buffer.from, no
// concat per request; hash() is synchronous, so one buffer serves every request).
let scratch = Buffer.allocUnsafe(64 + 256);
function hmacHex(key: SigningKey, message: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a message that might not fit gets a bigger buffer.
  if (64 + 3 * message.length > scratch.length) scratch = Buffer.allocUnsafe(64 + 3 * message.length);
  key.inner.copy(scratch, 0);
  const n = scratch.write(message, 64, "utf8");
  const inner = hash("sha256", scratch.subarray(0, 64 + n), "binary"); // "binary": latin1, one char per byte
  key.outer.copy(scratch, 0);
  scratch.write(inner, 64, "latin1");
  return hash("sha256", scratch.subarray(0, 96), "hex");
}

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

// Everything before the signature (credential, scope, signed headers) is the same on every
// request of a client's day: its parse is kept, bounded, and a request only checks its 64 hex
// digits (the whole header's regular expression and split cost ~1.5 µs per request: issue 22).
const SCOPE_RE = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=$/;
const SIGNATURE_RE = /^[0-9a-f]{64}$/;
const SCOPES_MAX = 4096;
const scopes = new Map<string, Omit<Tc3Authorization, "signature">>();
let lastPrefix = "";
let lastScope: Omit<Tc3Authorization, "signature"> | null = null;

/** The parts of an Authorization header; null unless it is exactly the TC3 shape. The signedHeaders array is shared: read it only. */
export function parseTc3Authorization(header: string): Tc3Authorization | null {
  const at = header.length - 64;
  if (at < 0) return null;
  const signature = header.slice(at);
  if (!SIGNATURE_RE.test(signature)) return null;
  // The last scope seen, in front of the map: a client's requests repeat it, and a comparison
  // in place costs less than slicing the prefix off and hashing it for the map (issue 22).
  if (lastScope !== null && at === lastPrefix.length && header.startsWith(lastPrefix)) {
    return {
      secretId: lastScope.secretId,
      date: lastScope.date,
      service: lastScope.service,
      signedHeaders: lastScope.signedHeaders,
      signature,
    };
  }
  const prefix = header.slice(0, at);
  let scope = scopes.get(prefix);
  if (scope === undefined) {
    const m = SCOPE_RE.exec(prefix);
    if (!m) return null;
    scope = { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!.split(";") };
    if (scopes.size >= SCOPES_MAX) scopes.clear();
    scopes.set(prefix, scope);
  }
  lastPrefix = prefix;
  lastScope = scope;
  return { secretId: scope.secretId, date: scope.date, service: scope.service, signedHeaders: scope.signedHeaders, signature };
}

/** Constant-time comparison of two lower-hex (or base64) signatures, as strings: no Buffers per request. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Builds the Authorization header a client sends (tests, benchmarks, the demo's raw calls). */
export function tc3AuthorizationHeader(i: Omit<Tc3Input, "signedHeaders"> & { secretId: string; signedHeaders?: string[] }): string {
  const signedHeaders = i.signedHeaders ?? ["content-type", "host"];
  const signature = tc3Signature({ ...i, signedHeaders });
  const date = utcDate(i.timestamp);
  return `TC3-HMAC-SHA256 Credential=${i.secretId}/${date}/${i.service}/tc3_request, SignedHeaders=${signedHeaders.join(";")}, Signature=${signature}`;
}
