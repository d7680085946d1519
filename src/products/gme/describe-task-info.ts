// DescribeTaskInfo: the recording task of a room (the one in progress, "进行中的任务").
//
// A room without a recording task in progress is ResourceNotFound.RoomNotFound — the only
// not-found code in this action's error list — whether or not someone is in it. (It used to
// answer TaskId, RecordMode and SubscribeRecordUserIds as null for an occupied room; the
// SDK's model allows none of them to be null.)
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { recordingApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger, roomIdOf, subscribeFilterOut } from "./params.ts";
import { recordingTaskOfRoom } from "./task-store.ts";

export const describeTaskInfo = defineAction({
  name: "DescribeTaskInfo",
  request: Type.Object({ BizId: LooseInteger, RoomId: Type.String() }),
  async handler(req, ctx) {
    const { app } = await recordingApp(ctx, req.BizId);
    const roomId = roomIdOf(req.RoomId);
    const task = await recordingTaskOfRoom(ctx.db, app.appId, roomId);
    if (!task) throw gmeErrors.roomNotFound();
    return { TaskId: task.taskId, RecordMode: task.recordMode, SubscribeRecordUserIds: subscribeFilterOut(task.filter) };
  },
});
