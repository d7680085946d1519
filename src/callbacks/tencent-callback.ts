// Tencent-style callbacks (LCIC, TIW): an HTTP POST of
//   {"Timestamp", "ExpireTime", "SdkAppId", "Sign", "EventType", "EventData"}
// with Sign = md5(CallbackKey + ExpireTime) in lower hex (reference §8.1 and §8.2), delivered
// at least once by a job that retries with backoff until the receiver answers 2xx.
import { createHash } from "node:crypto";
import type { JobType } from "../jobs/queue.ts";
import type { ProductContext } from "../product-context.ts";
import type { Queryable } from "../storage/db.ts";

/** How long a callback's signature stays valid after it is sent (the receiver checks it). */
const SIGN_VALIDITY_S = 300;
const TIMEOUT_MS = 5_000;

export interface CallbackSetting {
  url: string;
  key: string;
}

export interface CallbackPayload {
  appId: string;
  product: string;
  eventType: string;
  eventData: Record<string, unknown>;
}

export const callbackSign = (key: string, expireTime: number): string => createHash("md5").update(`${key}${expireTime}`).digest("hex");

export async function getCallbackSetting(q: Queryable, appId: string, product: string): Promise<CallbackSetting> {
  const rows = await q.query<CallbackSetting>("select url, key from callback_settings where app_id = $1 and product = $2", [
    appId,
    product,
  ]);
  return rows.rows[0] ?? { url: "", key: "" };
}

/** Changes the URL and/or the key; "" deletes either, as the TIW actions define it. */
export async function setCallbackSetting(q: Queryable, appId: string, product: string, change: Partial<CallbackSetting>): Promise<void> {
  await q.query(
    `insert into callback_settings (app_id, product, url, key) values ($1, $2, coalesce($3, ''), coalesce($4, ''))
     on conflict (app_id, product) do update set
       url = coalesce($3, callback_settings.url), key = coalesce($4, callback_settings.key)`,
    [appId, product, change.url ?? null, change.key ?? null],
  );
}

/**
 * Schedules a callback for an event, inside the caller's transaction (so it is sent only if
 * the change that caused it commits). Nothing is scheduled when the app has no URL.
 */
export async function enqueueCallback(ctx: Pick<ProductContext, "jobs">, tx: Queryable, payload: CallbackPayload): Promise<void> {
  const setting = await getCallbackSetting(tx, payload.appId, payload.product);
  if (!setting.url) return;
  await ctx.jobs.enqueue(CALLBACK_JOB, payload, { tx });
}

export const CALLBACK_JOB = "tencent.callback";

export function callbackJob(deps: Pick<ProductContext, "db" | "clock">): JobType<CallbackPayload> {
  return {
    name: CALLBACK_JOB,
    maxAttempts: 12,
    // 2 s, 4 s, 8 s ... capped at 10 minutes of domain time between attempts.
    backoffMs: (attempt) => Math.min(2000 * 2 ** (attempt - 1), 600_000),
    async run(p) {
      // The URL and key are read at delivery, so a receiver that rotated its key or moved
      // gets the retries signed and addressed as it is configured now.
      const setting = await getCallbackSetting(deps.db, p.appId, p.product);
      if (!setting.url) return;
      const timestamp = Math.floor(deps.clock.now() / 1000);
      const expireTime = timestamp + SIGN_VALIDITY_S;
      const body = {
        Timestamp: timestamp,
        ExpireTime: expireTime,
        SdkAppId: Number(p.appId),
        Sign: callbackSign(setting.key, expireTime),
        EventType: p.eventType,
        EventData: p.eventData,
      };
      const res = await fetch(setting.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new Error(`callback receiver answered ${res.status}`);
    },
  };
}
