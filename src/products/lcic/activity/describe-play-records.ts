// DescribePlayRecords: the playback sessions of a room's recording (lcic.playback.viewed)
// that began between StartTime and EndTime (Unix s, both included), of one user when UserId
// is given, in the order they began. Page from 1, PageSize 1 to 200 ("取值范围：[1, 200]");
// both are required, as the cloud's model says. Duration is the time played, in ms.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { playRecordsPage } from "./activity-store.ts";

export const describePlayRecords = defineAction({
  name: "DescribePlayRecords",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomId: Type.Integer(),
    StartTime: Type.Integer({ minimum: 0 }),
    EndTime: Type.Integer({ minimum: 0 }),
    Page: Type.Integer({ minimum: 1 }),
    PageSize: Type.Integer({ minimum: 1, maximum: 200 }),
    UserId: Type.Optional(Type.String({ maxLength: 128 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    if (req.EndTime < req.StartTime) throw lcicErrors.endTime();
    const { total, records } = await playRecordsPage(
      ctx.db,
      room.appId,
      room.roomId,
      { fromS: req.StartTime, toS: req.EndTime, userId: req.UserId ? req.UserId : null },
      req.PageSize,
      (req.Page - 1) * req.PageSize,
    );
    return {
      Total: total,
      Records: records.map((r) => ({
        RoomId: r.roomId,
        UserId: r.userId,
        SessionId: r.sessionId,
        PlayBeginTime: r.beginS,
        PlayEndTime: r.endS,
        Duration: r.durationMs,
      })),
    };
  },
});
