// ResumeOnlineRecord: PAUSED → RECORDING at once; the pause is kept as an OmittedDuration.
// Resuming what is not paused is UnsupportedOperation.InvalidTaskStatus (the cloud's own
// example: resuming a recording that is recording); a stopped or stopping task is
// TaskHasAlreadyStopped. The watchdog goes back to the auto stop, counted from the resume.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { lockRecord, saveRecord } from "./record-store.ts";
import { closePause, isStopping } from "./record-task.ts";
import { scheduleWatchdog } from "./record-watchdog-job.ts";

export const resumeOnlineRecord = defineAction({
  name: "ResumeOnlineRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    await ctx.db.transaction(async (tx) => {
      const task = await lockRecord(tx, app.appId, req.TaskId);
      if (!task) throw tiwErrors.taskNotFound();
      if (isStopping(task)) throw tiwErrors.taskHasAlreadyStopped();
      if (task.status !== "PAUSED") throw tiwErrors.invalidTaskStatus("the recording is not paused");
      const now = ctx.clock.now();
      const pause = closePause(task, now)!;
      // A paused room is quiet on purpose: the auto stop counts from the resume.
      const resumed = {
        ...task,
        status: "RECORDING" as const,
        pausedAt: null,
        omitted: [...task.omitted, pause],
        lastActivity: Math.max(task.lastActivity, now),
      };
      await saveRecord(tx, resumed);
      await scheduleWatchdog(ctx, tx, resumed);
    });
    return {};
  },
});
