// StopRecord: stops the room's recording task TaskId. A TaskId that is not a task of this
// room is ResourceNotFound; a task that already stopped (StopRecord twice, the class's end)
// answers success again, as stopping is idempotent. The recorder goes on uploading; the
// files appear in DescribeRecord when it has finished.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { recordErrors } from "./record-errors.ts";
import { stopRecording } from "./record-lifecycle.ts";
import { getTask } from "./record-store.ts";

export const stopRecord = defineAction({
  name: "StopRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const task = await getTask(ctx.db, app.appId, req.TaskId);
    if (!task || task.roomId !== room.roomId) throw recordErrors.taskNotFound();
    if (task.state === "recording") await ctx.db.transaction((tx) => stopRecording(ctx, tx, app.appId, task.taskId, "api"));
    return {};
  },
});
