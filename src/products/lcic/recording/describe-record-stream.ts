// DescribeRecordStream: the members' own recorded streams (RecordStream 1: the teacher and
// the students on stage, besides the mix), in the order they began. ClassType is the
// room's RoomType (the cloud's example answers 2 for what it calls 课堂类型). Role is the
// stream: "main" (camera) or "sub" (screen), as the recorder reported it.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { filesOf } from "./record-store.ts";

export const describeRecordStream = defineAction({
  name: "DescribeRecordStream",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const files = await filesOf(ctx.db, app.appId, room.roomId, false);
    return {
      SchoolId: req.SdkAppId,
      ClassId: room.roomId,
      ClassType: room.config.RoomType,
      StreamInfo: files.map((f) => ({
        UserId: f.userId,
        StartTime: f.startS,
        StopTime: f.stopS,
        Duration: f.stopS - f.startS,
        FileFormat: f.fileFormat,
        RecordUrl: f.recordUrl,
        RecordSize: f.recordSize,
        VideoId: f.videoId,
        Role: f.role,
      })),
    };
  },
});
