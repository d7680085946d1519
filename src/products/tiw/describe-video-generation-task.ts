// DescribeVideoGenerationTask: the task's state and videos. A generation that ended with an
// error answers FailedOperation.Record (its documented error) with the generator's error,
// as DescribeOnlineRecord does for a failed recording.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { getVideoGeneration } from "./video-generation-store.ts";
import { describeVideoGeneration, failed, generationFailureMessage } from "./video-generation-task.ts";

export const describeVideoGenerationTask = defineAction({
  name: "DescribeVideoGenerationTask",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const task = await getVideoGeneration(ctx.db, app.appId, req.TaskId);
    if (!task) throw tiwErrors.taskNotFound();
    if (failed(task)) throw tiwErrors.record(generationFailureMessage(task.errorCode ?? "", task.errorMessage ?? ""));
    return describeVideoGeneration(task);
  },
});
