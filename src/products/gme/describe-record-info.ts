// DescribeRecordInfo (the seed): per recorded stream of a task, its file and where it
// stands (2 recording, 10 waiting for transcode, 11 transcoding, 12 uploading, 13 upload
// complete, 14 user notified). Answers for a task after it stopped too, so a caller can
// follow its files to 14.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownGmeApp, recordingApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger, taskIdOf } from "./params.ts";
import { recordFileName } from "./recording.ts";
import { recordInfoRead } from "./stream-store.ts";

export const describeRecordInfo = defineAction({
  name: "DescribeRecordInfo",
  request: Type.Object({ TaskId: LooseInteger, BizId: LooseInteger }),
  async handler(req, ctx) {
    const app = await ownGmeApp(ctx, req.BizId);
    let taskId: number;
    try {
      taskId = taskIdOf(req.TaskId);
    } catch (err) {
      await recordingApp(ctx, req.BizId); // ServiceNotOpened comes before the TaskId's own error
      throw err;
    }
    // The hot path (the benchmark's): the switch, the task and its streams in one query.
    const { opened, found } = await recordInfoRead(ctx.db, app.appId, taskId);
    if (!opened) throw gmeErrors.serviceNotOpened();
    if (!found) throw gmeErrors.taskNotFound();
    const { task, streams } = found;
    return {
      // Field order as in the documented example answer.
      RoomId: task.roomId,
      RecordMode: task.recordMode,
      // An empty array (not null) before any stream began: a valid, empty answer.
      RecordInfo: streams.map((s) => ({
        RecordStatus: s.status,
        RecordBeginTime: Math.floor(s.beginAt / 1000),
        UserId: s.userId,
        FileName: recordFileName(app.appId, task.roomId, task.taskId, s.userId),
      })),
    };
  },
});
