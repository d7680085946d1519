// DescribeRecordTask: the room's recording task: the one recording now, else the latest one
// (stopped, done or lost), else TaskId "" (the room never recorded).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { latestTaskOf, recordingTaskOf } from "./record-store.ts";

export const describeRecordTask = defineAction({
  name: "DescribeRecordTask",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const task = (await recordingTaskOf(ctx.db, app.appId, room.roomId)) ?? (await latestTaskOf(ctx.db, app.appId, room.roomId));
    return { TaskId: task?.taskId ?? "" };
  },
});
