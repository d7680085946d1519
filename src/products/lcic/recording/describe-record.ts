// DescribeRecord: the room's mixed recordings, one per task whose recorder uploaded its
// file, in the order they began (a room recorded twice by StartRecord/StopRecord has two).
// SchoolId is the SdkAppId, ClassId the RoomId. Files appear once uploaded (after the
// stop), and go with DeleteRecord. Duration is StopTime - StartTime, in s.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { filesOf } from "./record-store.ts";

export const describeRecord = defineAction({
  name: "DescribeRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const files = await filesOf(ctx.db, app.appId, room.roomId, true);
    return {
      SchoolId: req.SdkAppId,
      ClassId: room.roomId,
      RecordInfo: files.map((f) => ({
        StartTime: f.startS,
        StopTime: f.stopS,
        Duration: f.stopS - f.startS,
        FileFormat: f.fileFormat,
        RecordUrl: f.recordUrl,
        RecordSize: f.recordSize,
        VideoId: f.videoId,
        TaskId: f.taskId,
      })),
    };
  },
});
