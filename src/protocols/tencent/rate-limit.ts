// Rate limit per (SecretId, Action, Region), 20 requests/second by default, as the real API
// documents. On PostgreSQL the counters live in the database, so instances sharing it share
// the budget; PGlite is single-process, so memory is exact there.
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type pg from "pg";

export interface RateLimitVerdict {
  allowed: boolean;
  /** Requests counted in the current second, this one included. */
  count: number;
  limit: number;
}

export class TencentRateLimit {
  private readonly limiters = new Map<number, RateLimiterAbstract>();

  private readonly defaultLimit: number;
  private readonly overrides: Record<string, number>;
  private readonly pool: pg.Pool | null;

  constructor(defaultLimit: number, overrides: Record<string, number>, pool: pg.Pool | null) {
    this.defaultLimit = defaultLimit;
    this.overrides = overrides;
    this.pool = pool;
  }

  private async limiter(points: number): Promise<RateLimiterAbstract> {
    const hit = this.limiters.get(points);
    if (hit) return hit;
    let created: RateLimiterAbstract;
    if (this.pool) {
      const pool = this.pool;
      created = await new Promise<RateLimiterAbstract>((resolve, reject) => {
        const l: RateLimiterPostgres = new RateLimiterPostgres(
          { storeClient: pool, tableName: "rate_limits", keyPrefix: `tc${points}`, points, duration: 1, clearExpiredByTimeout: true },
          (err?: Error) => (err ? reject(err) : resolve(l)),
        );
      });
    } else {
      created = new RateLimiterMemory({ keyPrefix: `tc${points}`, points, duration: 1 });
    }
    this.limiters.set(points, created);
    return created;
  }

  limitFor(action: string, declared: number | undefined): number {
    return this.overrides[action] ?? declared ?? this.defaultLimit;
  }

  async consume(secretId: string, action: string, region: string | null, declared?: number): Promise<RateLimitVerdict> {
    const limit = this.limitFor(action, declared);
    if (limit <= 0 || this.defaultLimit <= 0) return { allowed: true, count: 0, limit };
    const limiter = await this.limiter(limit);
    try {
      // Unit separators, not NULs: PostgreSQL text (the shared store) cannot hold 0x00.
      const res = await limiter.consume(`${secretId}\u001f${action}\u001f${region ?? ""}`);
      return { allowed: true, count: res.consumedPoints, limit };
    } catch (rej) {
      if (rej instanceof RateLimiterRes) return { allowed: false, count: rej.consumedPoints, limit };
      throw rej;
    }
  }
}
