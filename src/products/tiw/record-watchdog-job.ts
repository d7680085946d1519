// The recording's watchdog, a job on the domain clock: the auto stop (FinishReason AUTO: no
// whiteboard operation and no other user's audio/video upstream for AutoStopTimeout s; not
// counted while paused) and the forced stop (FORCE_STOP: paused for more than 90 minutes,
// or recording for more than 24 hours, the limits the cloud documents). It runs when the
// earliest of them is due (record-task.ts nextCheck); if activity came since, it schedules
// itself again instead. One pending job per task (its singleton key), moved by pause/resume.
import type { JobType } from "../../jobs/queue.ts";
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { getRecord } from "./record-store.ts";
import { isStopping, nextCheck, type RecordTask } from "./record-task.ts";
import { requestRecordStop } from "./record-transitions.ts";

export const RECORD_WATCHDOG_JOB = "tiw.record.watchdog";

export interface RecordWatchdogPayload {
  appId: string;
  taskId: string;
}

/** (Re)schedules the task's watchdog at its next due time, in the caller's transaction. */
export async function scheduleWatchdog(ctx: Pick<ProductContext, "jobs">, tx: Queryable, t: RecordTask): Promise<void> {
  await ctx.jobs.enqueue(
    RECORD_WATCHDOG_JOB,
    { appId: t.appId, taskId: t.taskId },
    { runAt: nextCheck(t).at, singletonKey: `${RECORD_WATCHDOG_JOB}:${t.appId}:${t.taskId}`, replace: true, tx },
  );
}

export function recordWatchdogJob(ctx: ProductContext): JobType<RecordWatchdogPayload> {
  return {
    name: RECORD_WATCHDOG_JOB,
    async run({ appId, taskId }) {
      await ctx.db.transaction(async (tx) => {
        const now = ctx.clock.now();
        const outcome = await requestRecordStop(ctx, tx, appId, taskId, (t) => {
          const next = nextCheck(t);
          return next.at <= now ? next.reason : null;
        });
        if (outcome !== "not-due") return;
        const task = await getRecord(tx, appId, taskId);
        if (task && !isStopping(task)) await scheduleWatchdog(ctx, tx, task);
      });
    },
  };
}
