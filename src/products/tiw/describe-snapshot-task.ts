// DescribeSnapshotTask: the task's state and, once Finished, its images. An unknown TaskID
// is InvalidParameter (the action documents no TaskNotFound).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { getSnapshot } from "./snapshot-store.ts";
import { describeSnapshot } from "./snapshot-task.ts";

export const describeSnapshotTask = defineAction({
  name: "DescribeSnapshotTask",
  request: Type.Object({ TaskID: Type.String({ maxLength: 128 }), SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const task = await getSnapshot(ctx.db, app.appId, req.TaskID);
    if (!task) throw tiwErrors.invalidParameter("The snapshot task does not exist.", "白板板书生成任务不存在。");
    return describeSnapshot(task);
  },
});
