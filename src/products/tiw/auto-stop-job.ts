// The auto stop (FinishReason AUTO): a job on the domain clock, due AutoStopTimeout after
// the start. When it runs it looks at the last activity (whiteboard operations, audio/video
// upstream, see activity-events.ts); if some came since, it schedules itself for
// AutoStopTimeout after that instead. Activity events therefore cost one UPDATE, and no job.
import type { JobType } from "../../jobs/queue.ts";
import type { ProductContext } from "../../product-context.ts";
import { autoStopDueAt } from "./push-task.ts";
import { getPush } from "./push-store.ts";
import { requestPushStop } from "./push-transitions.ts";

export const AUTO_STOP_JOB = "tiw.push.auto-stop";

export interface AutoStopPayload {
  appId: string;
  taskId: string;
}

export function autoStopJob(ctx: ProductContext): JobType<AutoStopPayload> {
  return {
    name: AUTO_STOP_JOB,
    async run({ appId, taskId }) {
      await ctx.db.transaction(async (tx) => {
        const now = ctx.clock.now();
        const outcome = await requestPushStop(ctx, tx, appId, taskId, "AUTO", (t) => autoStopDueAt(t) <= now);
        if (outcome !== "not-due") return;
        const task = await getPush(tx, appId, taskId);
        if (!task) return;
        const dueAt = autoStopDueAt(task);
        // Keyed by the due time: a re-run of this job after a crash schedules the same one once.
        await ctx.jobs.enqueue(
          AUTO_STOP_JOB,
          { appId, taskId },
          { runAt: dueAt, singletonKey: `${AUTO_STOP_JOB}:${appId}:${taskId}:${dueAt}`, tx },
        );
      });
    },
  };
}
