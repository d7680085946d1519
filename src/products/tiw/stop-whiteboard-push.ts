// StopWhiteboardPush: asks the push to stop (FinishReason USER_CALL). A task no worker holds
// stops at once; otherwise its worker learns it on its next heartbeat and confirms, and the
// task is STOPPED then. A second stop is UnsupportedOperation.TaskHasAlreadyStopped.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { getPush } from "./push-store.ts";
import { requestPushStop } from "./push-transitions.ts";

export const stopWhiteboardPush = defineAction({
  name: "StopWhiteboardPush",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "SdkAppIdNotFound");
    const backup = await ctx.db.transaction(async (tx) => {
      const outcome = await requestPushStop(ctx, tx, app.appId, req.TaskId, "USER_CALL");
      if (outcome === "missing") throw tiwErrors.taskNotFound();
      if (outcome === "already-stopped") throw tiwErrors.taskHasAlreadyStopped();
      // AutoManageBackup: stopping the main task stops its backup too (one already stopped is left as is).
      const task = await getPush(tx, app.appId, req.TaskId);
      if (task?.autoManageBackup && task.backupTaskId) {
        await requestPushStop(ctx, tx, app.appId, task.backupTaskId, "USER_CALL");
        return task.backupTaskId;
      }
      return null;
    });
    return { Backup: backup ? JSON.stringify({ TaskId: backup }) : "" };
  },
});
