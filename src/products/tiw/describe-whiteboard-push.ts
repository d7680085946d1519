// DescribeWhiteboardPush: the task's state and result (seed 002). A push that failed for
// good before its first frame answers FailedOperation.WhiteboardPush with the worker's
// error, as the seed's second example does (see failedBeforeStart).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { getPushWithBackup } from "./push-store.ts";
import { describe, failedBeforeStart, failureMessage } from "./push-task.ts";

export const describeWhiteboardPush = defineAction({
  name: "DescribeWhiteboardPush",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const found = await getPushWithBackup(ctx.db, app.appId, req.TaskId);
    if (!found) throw tiwErrors.taskNotFound();
    const { task, backup } = found;
    if (failedBeforeStart(task)) throw tiwErrors.whiteboardPush(failureMessage(task.errorCode ?? "", task.errorMessage ?? ""));
    return describe(task, backup);
  },
});
