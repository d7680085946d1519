// TRTC-style callbacks (TRRO's recording and publishing callbacks follow TRTC's, documents
// 647/81113 and 647/88552): an HTTP POST of
//   {"EventGroupId", "EventType", "CallbackTs" (Unix ms), "EventInfo"}
// with the headers `SdkAppId` and, when a key is set, `Sign` = base64(HMAC-SHA256(key, body)),
// body being the exact bytes sent. Delivered at least once by a job that retries until the
// receiver answers 2xx. The URL and key live in callback_settings, as for the Tencent-style
// callbacks (tencent-callback.ts).
import { createHmac } from "node:crypto";
import type { JobType } from "../jobs/queue.ts";
import type { ProductContext } from "../product-context.ts";
import type { Queryable } from "../storage/db.ts";
import { getCallbackSetting } from "./tencent-callback.ts";

const TIMEOUT_MS = 5_000;

export interface TrtcCallbackPayload {
  appId: string;
  product: string;
  eventGroupId: number;
  eventType: number;
  eventInfo: Record<string, unknown>;
}

export const trtcCallbackSign = (key: string, body: string): string => createHmac("sha256", key).update(body).digest("base64");

/** Schedules a callback inside the caller's transaction; nothing when the app has no URL. */
export async function enqueueTrtcCallback(ctx: Pick<ProductContext, "jobs">, tx: Queryable, payload: TrtcCallbackPayload): Promise<void> {
  const setting = await getCallbackSetting(tx, payload.appId, payload.product);
  if (!setting.url) return;
  await ctx.jobs.enqueue(TRTC_CALLBACK_JOB, payload, { tx });
}

export const TRTC_CALLBACK_JOB = "trtc.callback";

/** The delivery job; registered by the product that sends such callbacks (TRRO). */
export function trtcCallbackJob(deps: Pick<ProductContext, "db" | "clock">): JobType<TrtcCallbackPayload> {
  return {
    name: TRTC_CALLBACK_JOB,
    // TRTC retries for a minute; a ledger keeps trying longer (2 s, 4 s, ... capped at 10 min).
    maxAttempts: 12,
    backoffMs: (attempt) => Math.min(2000 * 2 ** (attempt - 1), 600_000),
    async run(p) {
      // Read at delivery: retries go where the receiver is configured now, signed with its key now.
      const setting = await getCallbackSetting(deps.db, p.appId, p.product);
      if (!setting.url) return;
      const body = JSON.stringify({
        EventGroupId: p.eventGroupId,
        EventType: p.eventType,
        CallbackTs: deps.clock.now(),
        EventInfo: p.eventInfo,
      });
      const headers: Record<string, string> = { "content-type": "application/json", SdkAppId: p.appId };
      if (setting.key) headers.Sign = trtcCallbackSign(setting.key, body);
      const res = await fetch(setting.url, { method: "POST", headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new Error(`callback receiver answered ${res.status}`);
    },
  };
}
