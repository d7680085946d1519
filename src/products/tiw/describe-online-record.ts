// DescribeOnlineRecord: the recording's state and result. A recording that failed for good
// before its first frame answers FailedOperation.Record with the recorder's error, as the
// cloud's second example does (see record-task.ts failedBeforeStart).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { getRecord } from "./record-store.ts";
import { describeRecord, failedBeforeStart, recordFailureMessage } from "./record-task.ts";

export const describeOnlineRecord = defineAction({
  name: "DescribeOnlineRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const task = await getRecord(ctx.db, app.appId, req.TaskId);
    if (!task) throw tiwErrors.taskNotFound();
    if (failedBeforeStart(task)) throw tiwErrors.record(recordFailureMessage(task.errorCode ?? "", task.errorMessage ?? ""));
    return describeRecord(task);
  },
});
