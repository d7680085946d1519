// Rate limit per (SecretId, Action), 20 requests/second by default. The cloud documents the
// dimension as Action + region + SecretId (reference §6), but its regions are a fixed set,
// while here X-TC-Region is any string the caller sends (and the SDKs do not sign it): a
// budget per region let sixty made-up regions pass sixty times the limit (issue 16, item 6).
// One roomledger is one region, so the region is left out of the bucket. On PostgreSQL the counters live in the database, so instances sharing it share
// the budget; PGlite is single-process, so memory is exact there.
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { createHash } from "node:crypto";
import type pg from "pg";
import { lazyLimiter } from "../shared-limiter.ts";

export interface RateLimitVerdict {
  allowed: boolean;
  /** Requests counted in the current second, this one included. */
  count: number;
  limit: number;
}

export class TencentRateLimit {
  // One limiter per limit value, opened on first use (shared by concurrent first requests;
  // a failed opening, database down, is tried again by the next request).
  private readonly limiters = new Map<number, () => Promise<RateLimiterAbstract>>();

  private readonly defaultLimit: number;
  private readonly overrides: Record<string, number>;
  private readonly pool: pg.Pool | null;

  constructor(defaultLimit: number, overrides: Record<string, number>, pool: pg.Pool | null) {
    this.defaultLimit = defaultLimit;
    this.overrides = overrides;
    this.pool = pool;
  }

  private limiter(points: number): Promise<RateLimiterAbstract> {
    let open = this.limiters.get(points);
    if (!open) this.limiters.set(points, (open = lazyLimiter(this.pool, { keyPrefix: `tc${points}`, points, duration: 1 })));
    return open();
  }

  limitFor(action: string, declared: number | undefined): number {
    return this.overrides[action] ?? declared ?? this.defaultLimit;
  }

  /** No limit applies to this action (the server's limit is 0, or the action's): consume() would allow it at once. */
  unlimited(action: string, declared?: number): boolean {
    return this.defaultLimit <= 0 || this.limitFor(action, declared) <= 0;
  }

  async consume(secretId: string, action: string, declared?: number): Promise<RateLimitVerdict> {
    const limit = this.limitFor(action, declared);
    if (limit <= 0 || this.defaultLimit <= 0) return { allowed: true, count: 0, limit };
    const limiter = await this.limiter(limit);
    try {
      const res = await limiter.consume(bucketKey(secretId, action));
      return { allowed: true, count: res.consumedPoints, limit };
    } catch (rej) {
      if (rej instanceof RateLimiterRes) return { allowed: false, count: rej.consumedPoints, limit };
      throw rej;
    }
  }
}

/**
 * The bucket of (SecretId, Action). The limiter's key column is varchar(255) and PostgreSQL
 * text cannot hold NUL: the key is the readable pair when it is short and printable, else
 * its SHA-256.
 */
export function bucketKey(secretId: string, action: string): string {
  const plain = `${secretId}|${action}`;
  return plain.length <= 200 && /^[\x21-\x7e]*$/.test(plain) ? plain : `h:${createHash("sha256").update(plain).digest("hex")}`;
}
