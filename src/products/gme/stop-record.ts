// StopRecord: ends the recording of a task. Its streams then move 10 → 14 as the recorder
// transcodes and uploads. Stopping a task that is no longer recording is
// ResourceNotFound.TaskNotFound: the action is about an ongoing task ("进行中的任务").
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { recordingApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger, taskIdOf } from "./params.ts";
import { stopRecording } from "./task-lifecycle.ts";

export const stopRecord = defineAction({
  name: "StopRecord",
  request: Type.Object({ TaskId: LooseInteger, BizId: LooseInteger }),
  async handler(req, ctx) {
    const { app } = await recordingApp(ctx, req.BizId);
    const taskId = taskIdOf(req.TaskId);
    const stopped = await ctx.db.transaction((tx) => stopRecording(tx, ctx, app.appId, taskId, "user"));
    if (!stopped) throw gmeErrors.taskNotFound();
    return {};
  },
});
