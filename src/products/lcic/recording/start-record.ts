// StartRecord: records the class now. Only while the class is in progress (FailedOperation
// before it starts, ClassEnded/ClassExpired after), and only in a room that records by task
// (DisableRecord 0 or 2; 1 forbids recording, 3 records signalling only: FailedOperation).
// A room already recording keeps its task: the same TaskId again.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, RoomStatus } from "../rooms/rooms-store.ts";
import { recordErrors } from "./record-errors.ts";
import { DisableRecord, startRecording } from "./record-lifecycle.ts";

export const startRecord = defineAction({
  name: "StartRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const taskId = await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { appId: app.appId, q: tx, lock: true });
      if (room.config.DisableRecord === DisableRecord.Off) throw recordErrors.disabled();
      if (room.config.DisableRecord === DisableRecord.Signalling) throw recordErrors.signalling();
      if (room.status === RoomStatus.NotStarted) throw recordErrors.notStarted();
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      return startRecording(ctx, tx, room, "api");
    });
    return { TaskId: taskId };
  },
});
