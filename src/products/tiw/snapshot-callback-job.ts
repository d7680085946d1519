// The result of a snapshot task POSTed to its CallbackURL when it finishes. The cloud does
// not document this callback's body, nor a key to sign it with (snapshot tasks have no
// callback settings): roomledger sends the fields DescribeSnapshotTask answers, plus the
// SdkAppId, unsigned, at least once (retried with backoff until a 2xx, 12 attempts).
import type { JobType } from "../../jobs/queue.ts";
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { describeSnapshot, type SnapshotTask } from "./snapshot-task.ts";

export const SNAPSHOT_CALLBACK_JOB = "tiw.snapshot.callback";

interface Payload {
  url: string;
  body: Record<string, unknown>;
}

export async function enqueueSnapshotCallback(ctx: Pick<ProductContext, "jobs">, tx: Queryable, t: SnapshotTask): Promise<void> {
  if (!t.callbackUrl) return;
  await ctx.jobs.enqueue(
    SNAPSHOT_CALLBACK_JOB,
    { url: t.callbackUrl, body: { SdkAppId: Number(t.appId), ...describeSnapshot(t) } },
    { tx },
  );
}

export function snapshotCallbackJob(): JobType<Payload> {
  return {
    name: SNAPSHOT_CALLBACK_JOB,
    maxAttempts: 12,
    backoffMs: (attempt) => Math.min(2000 * 2 ** (attempt - 1), 600_000),
    async run({ url, body }) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status >= 300) throw new Error(`snapshot callback receiver answered ${res.status}`);
    },
  };
}
