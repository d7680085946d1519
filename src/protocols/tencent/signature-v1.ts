// Signature v1 (HmacSHA1 / HmacSHA256, form style), reference §3.
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";

/**
 * StringToSign = METHOD + host + path + "?" + the params (all but Signature) sorted by name
 * in ASCII order, joined as name=value with the raw (decoded) values.
 */
export function v1StringToSign(method: string, host: string, path: string, params: Record<string, string>): string {
  const joined = Object.keys(params)
    .filter((k) => k !== "Signature")
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${params[k]}`)
    .join("&");
  return `${method}${host}${path}?${joined}`;
}

/** Anything but `HmacSHA256` (absent included) means HmacSHA1, as the real service does. */
export function v1Signature(secretKey: string, stringToSign: string, method: string | undefined): string {
  const algorithm = method === "HmacSHA256" ? "sha256" : "sha1";
  return createHmac(algorithm, keyObject(secretKey)).update(stringToSign).digest("base64");
}

// createHmac with a string key builds a key object on every call (several times the cost of
// the HMAC itself): the SecretKey's key object is cached, bounded.
const keys = new Map<string, KeyObject>();
function keyObject(secretKey: string): KeyObject {
  let k = keys.get(secretKey);
  if (k === undefined) {
    if (keys.size >= 4096) keys.clear();
    k = createSecretKey(Buffer.from(secretKey, "utf8"));
    keys.set(secretKey, k);
  }
  return k;
}
