// The "tiw-push" task kind of the agent protocol: what a push worker reports and what each
// report, or the loss of a worker, does to the push task.
//
//   started   {imSyncTime?}    first frame pushed: PREPARED → PUSHING (PushStartTime = report time)
//   exception {code, message}  something went wrong, the push goes on: ExceptionCnt + 1
//   stopped   {}               confirms a stop asked on a heartbeat: STOPPED (USER_CALL / AUTO)
//   failed    {code, message}  the push cannot go on: STOPPED, EXCEPTION, the error kept
import { Type } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import { finishTask, type AgentKind } from "../../agent/tasks.ts";
import { lockPush, markStarted, recordException } from "./push-store.ts";
import { messageTime } from "./push-task.ts";
import { notifyStarted, stopPush, TIW_PUSH_KIND } from "./push-transitions.ts";

const ErrorData = Type.Object(
  {
    code: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 64 })]),
    message: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/**
 * roomledger's own code for a push whose workers all vanished (the cloud's internal codes are
 * not documented; this one is ours).
 */
export const WORKER_LOST_CODE = "50001";

export const tiwPushKind: AgentKind = {
  kind: TIW_PUSH_KIND,
  product: "tiw",
  reports: {
    started: Type.Object(
      { imSyncTime: Type.Optional(Type.Integer({ minimum: 0, description: "IM timestamp of the first frame" })) },
      { additionalProperties: false },
    ),
    exception: ErrorData,
    stopped: Type.Object({}, { additionalProperties: false }),
    failed: ErrorData,
  },

  async onReport(tx, agentTask, report, ctx) {
    const task = await lockPush(tx, agentTask.appId, agentTask.taskId);
    // A report after the stop (a late one in the same batch) changes nothing.
    if (!task || task.status === "STOPPED") return;
    const at = report.time ?? ctx.clock.now();
    const data = report.data ?? {};
    switch (report.type) {
      case "started": {
        // A worker that took the task over starts again: the first frame stays the first.
        if (task.status !== "PREPARED") return;
        const imSyncTime = typeof data.imSyncTime === "number" ? data.imSyncTime : 0;
        await markStarted(tx, task, at, imSyncTime);
        await notifyStarted(ctx, tx, { ...task, status: "PUSHING", pushStartTime: at, imSyncTime });
        return;
      }
      case "exception":
        await recordException(tx, task, String(data.code), String(data.message));
        return;
      case "stopped":
        if (!agentTask.stopRequested) {
          throw new ApiError("StopNotRequested", {
            message: "`stopped` confirms a stop asked for on a heartbeat; this task was not asked to stop (report `failed` to end it)",
            httpStatus: 409,
          });
        }
        await finishTask(tx, task.appId, task.taskId, ctx.clock.now());
        await stopPush(ctx, tx, task, task.stopReason ?? "USER_CALL", at);
        return;
      case "failed":
        await finishTask(tx, task.appId, task.taskId, ctx.clock.now());
        await stopPush(ctx, tx, task, "EXCEPTION", at, {
          exception: true,
          error: { code: String(data.code), message: String(data.message) },
        });
        return;
    }
  },

  async onLeaseExpired(tx, agentTask, final, ctx) {
    const task = await lockPush(tx, agentTask.appId, agentTask.taskId);
    if (!task || task.status === "STOPPED") return;
    const now = ctx.clock.now();
    const lost = {
      code: WORKER_LOST_CODE,
      message: `${messageTime(now)}, roomledger: the push worker stopped heartbeating (attempt ${agentTask.attempts} of ${agentTask.maxAttempts})`,
    };
    if (!final) {
      // The task is offered to another worker; the interruption counts as an exception.
      await recordException(tx, task, lost.code, lost.message);
      return;
    }
    // Asked to stop and its worker vanished before confirming: the stop stands as asked.
    if (task.stopReason !== null) await stopPush(ctx, tx, task, task.stopReason, now, { exception: true });
    else await stopPush(ctx, tx, task, "EXCEPTION", now, { exception: true, error: lost });
  },
};
