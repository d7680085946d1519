// DescribeTaskInfo: the recording task of a room. A room nobody is in and that has no
// recording task is ResourceNotFound.RoomNotFound; an occupied room without one answers
// the three fields as null (the SDK types mark them "may be null").
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { recordingApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger, roomIdOf, subscribeFilterOut } from "./params.ts";
import { recordingTaskOfRoom } from "./task-store.ts";
import { roomOccupied } from "./presence-store.ts";

export const describeTaskInfo = defineAction({
  name: "DescribeTaskInfo",
  request: Type.Object({ BizId: LooseInteger, RoomId: Type.String() }),
  async handler(req, ctx) {
    const { app } = await recordingApp(ctx, req.BizId);
    const roomId = roomIdOf(req.RoomId);
    const db = ctx.db;
    const task = await recordingTaskOfRoom(db, app.appId, roomId);
    if (task) {
      return { TaskId: task.taskId, RecordMode: task.recordMode, SubscribeRecordUserIds: subscribeFilterOut(task.filter) };
    }
    if (!(await roomOccupied(db, app.appId, roomId))) throw gmeErrors.roomNotFound();
    return { TaskId: null, RecordMode: null, SubscribeRecordUserIds: null };
  },
});
