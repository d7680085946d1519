// Limiters (rate-limiter-flexible) whose counters every server instance on one PostgreSQL
// shares, in its table rate_limits (created by the platform's migration 006, not by the
// library at run time); on PGlite, which is single-process, in memory. Used by the Tencent
// gateway's rate limit and the Huawei gateway's rate limit and AK lock-out.
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from "rate-limiter-flexible";
import type pg from "pg";
import type { Db } from "../storage/db.ts";

export interface LimiterOptions {
  /** Distinguishes this limiter's keys from the others' in the shared table. */
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
  /** Seconds a key is refused once over its points (default: none beyond the duration). */
  blockDuration?: number;
}

/** The database's shared pool (the Db port's capability), or null when it has none (PGlite). */
export function poolOf(db: Db): pg.Pool | null {
  return db.capabilities.sharedPool ?? null;
}

function openLimiter(pool: pg.Pool | null, options: LimiterOptions): Promise<RateLimiterAbstract> {
  if (!pool) return Promise.resolve(new RateLimiterMemory(options));
  // The table exists (migration 006): the limiter is ready at once, no table creation to await.
  return Promise.resolve(
    new RateLimiterPostgres({ ...options, storeClient: pool, tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: true }),
  );
}

/** openLimiter on first use, once; a failed opening (database down) is tried again by the next use. */
export function lazyLimiter(pool: pg.Pool | null, options: LimiterOptions): () => Promise<RateLimiterAbstract> {
  let opened: Promise<RateLimiterAbstract> | null = null;
  return () =>
    (opened ??= openLimiter(pool, options).catch((err: unknown) => {
      opened = null;
      throw err;
    }));
}
