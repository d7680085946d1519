import { randomBytes, randomUUID } from "node:crypto";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random string over an alphabet, unbiased (rejection sampling). */
export function randomString(length: number, alphabet: string = LOWER_ALNUM): string {
  const out: string[] = [];
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < limit && out.length < length) out.push(alphabet[b % alphabet.length]!);
    }
  }
  return out.join("");
}

export const requestId = (): string => randomUUID();
export const hex = (bytes: number): string => randomBytes(bytes).toString("hex");
export const alnum = (length: number): string => randomString(length, ALNUM);
export const lowerAlnum = (length: number): string => randomString(length, LOWER_ALNUM);

/** A random positive integer below 2^53 (JavaScript clients parse ids as numbers). */
export function safeInteger(min = 1): number {
  const n = Number(randomBytes(8).readBigUInt64BE() % BigInt(Number.MAX_SAFE_INTEGER - min)) + min;
  return n;
}
