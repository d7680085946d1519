// PauseOnlineRecord: RECORDING → PAUSED at once (the control plane keeps the pauses; they
// become OmittedDurations). Pausing what is not recording is UnsupportedOperation.InvalidTaskStatus
// (not started yet, already paused); a stopped or stopping task is TaskHasAlreadyStopped.
// The watchdog moves to the pause's 90-minute limit (FORCE_STOP).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { lockRecord, saveRecord } from "./record-store.ts";
import { isStopping } from "./record-task.ts";
import { scheduleWatchdog } from "./record-watchdog-job.ts";

export const pauseOnlineRecord = defineAction({
  name: "PauseOnlineRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    await ctx.db.transaction(async (tx) => {
      const task = await lockRecord(tx, app.appId, req.TaskId);
      if (!task) throw tiwErrors.taskNotFound();
      if (isStopping(task)) throw tiwErrors.taskHasAlreadyStopped();
      if (task.status === "PREPARED") throw tiwErrors.invalidTaskStatus("the recording has not started yet");
      if (task.status === "PAUSED") throw tiwErrors.invalidTaskStatus("the recording is already paused");
      const paused = { ...task, status: "PAUSED" as const, pausedAt: ctx.clock.now() };
      await saveRecord(tx, paused);
      await scheduleWatchdog(ctx, tx, paused);
    });
    return {};
  },
});
