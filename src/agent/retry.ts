// When AgentClient sends a request again, and how long it waits first (issue 16 item 5: a
// worker must outlive a server restart without losing its task).
//
// Sent again: a network error (connection refused or reset while the server restarts, no
// answer within the attempt timeout), 502/503/504 (a proxy in front of a server that is
// down, a server starting or draining), and 429 (after its Retry-After). Never a 4xx
// refusal: 400 InvalidBatch, 401, 404 or 409 LeaseLost mean the same thing when asked
// again. Not 500 either: an InternalError is a defect, and asking again in a loop would hide
// it behind a slow worker.
//
// Waits: exponential backoff from baseMs, capped at maxMs, with "full jitter" (a random
// wait between 0 and the cap of that attempt), so that many workers cut off by the same
// restart do not all come back in the same millisecond. Gives up after giveUpAfterMs in
// all, throwing the last error: a worker holding a lease must hear about it long before
// anyone else could be given its task.
//
// Not a library: p-retry and undici's RetryAgent were looked at; neither reads Retry-After
// for a plain fetch and stops on an AbortSignal in one place, and the whole rule is below.

export interface RetryPolicy {
  /** First backoff cap, ms. */
  baseMs: number;
  /** Largest backoff cap, ms. */
  maxMs: number;
  /** No further attempt once this much time has passed since the first, ms. */
  giveUpAfterMs: number;
  /** One attempt's time limit, ms: a server that accepted the connection but never answers. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 100, maxMs: 2000, giveUpAfterMs: 120_000, attemptTimeoutMs: 15_000 };

/** HTTP statuses answered by a server (or proxy) that may answer differently soon. */
const TRANSIENT = new Set([429, 502, 503, 504]);

export const isTransientStatus = (status: number): boolean => TRANSIENT.has(status);

/**
 * A failure of fetch itself (no HTTP answer): undici throws a TypeError ("fetch failed")
 * whose cause is the socket error, and a TimeoutError when the attempt's signal fires.
 * The caller's own abort is not one of them.
 */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof TypeError) return true;
  return err instanceof DOMException && err.name === "TimeoutError";
}

/** Retry-After in ms (delta-seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const s = header.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isFinite(t) ? Math.max(0, t - now) : null;
}

/** The wait before attempt `n + 1` after `n` failed attempts (n ≥ 1): full jitter. */
export function backoffMs(policy: RetryPolicy, n: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  return Math.floor(random() * cap);
}

/** Waits ms, or less when the signal aborts (then throws its reason). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * fetch with the rule above. Returns the first response that is not transient (or the last
 * transient one when time is up); throws the last network error when time is up, or the
 * signal's reason once it aborts.
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (why: string, waitMs: number) => void,
): Promise<Response> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    const attempt = AbortSignal.timeout(policy.attemptTimeoutMs);
    let why: string;
    let wait = backoffMs(policy, n);
    try {
      const res = await fetch(url, { ...init, signal: signal ? AbortSignal.any([signal, attempt]) : attempt });
      if (!isTransientStatus(res.status)) return res;
      why = `HTTP ${res.status}`;
      const after = retryAfterMs(res.headers.get("retry-after"));
      if (after !== null) wait = after;
      if (Date.now() - started + wait > policy.giveUpAfterMs) return res;
      await res.body?.cancel();
    } catch (err) {
      if (signal?.aborted || !isNetworkError(err)) throw err;
      if (Date.now() - started + wait > policy.giveUpAfterMs) throw err;
      why = String((err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message);
    }
    onRetry?.(why, wait);
    await pause(wait, signal);
  }
}
