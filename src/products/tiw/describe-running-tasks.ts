// DescribeRunningTasks: the app's tasks of one type still being executed (created in the
// last three days, as the cloud documents), a page at a time.
// Choices where the cloud is silent:
// - TranscodeH5 / TranscodeJPG are valid types, but roomledger transcodes nothing: Total 0.
//   Any other TaskType is answered the same way (no error code is documented for it).
// - Status: QUEUED while no worker holds the task, PROCESSING once one does (a recording
//   uploading its result after the stop is still PROCESSING); FINISHED never appears, as a
//   finished task is not running.
// - Progress: 0 (a live push or recording has no progress to measure; the cloud's example
//   shows a number it does not explain).
// - CreateTime in Beijing time (UTC+8) as "YYYY-MM-DD hh:mm:ss", the cloud's example format;
//   CancelTime "" (a running task was not cancelled), FileURL "" (not a transcode).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp } from "./errors.ts";
import { isRunningTaskType, RUNNING_WINDOW_MS, runningTasks } from "./running-tasks-store.ts";

const BEIJING_OFFSET_MS = 8 * 3600_000;
const beijingTime = (ms: number): string => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");

export const describeRunningTasks = defineAction({
  name: "DescribeRunningTasks",
  request: Type.Object({
    SdkAppID: Type.Integer(),
    TaskType: Type.String({ maxLength: 64 }),
    Offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppID, "Unauthorized");
    if (!isRunningTaskType(req.TaskType)) return { Total: 0, Tasks: [] };
    const since = ctx.clock.now() - RUNNING_WINDOW_MS;
    const { total, tasks } = await runningTasks(ctx.db, app.appId, req.TaskType, since, req.Offset ?? 0, req.Limit ?? 100);
    return {
      Total: total,
      Tasks: tasks.map((t) => ({
        SdkAppID: Number(app.appId),
        TaskID: t.taskId,
        TaskType: req.TaskType,
        CreateTime: beijingTime(t.createdAt),
        CancelTime: "",
        Status: t.queued ? "QUEUED" : "PROCESSING",
        Progress: 0,
        FileURL: "",
        RoomID: t.roomId,
      })),
    };
  },
});
