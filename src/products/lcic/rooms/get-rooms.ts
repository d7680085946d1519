// GetRooms: the app's rooms whose scheduled time overlaps [StartTime, EndTime] (default now
// - 30 min to now + 30 min), optionally of the given statuses, by StartTime then RoomId,
// Page from 1, Limit default 10, at most 100.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { roomsPage } from "./rooms-store.ts";

export const getRooms = defineAction({
  name: "GetRooms",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    StartTime: Type.Optional(Type.Integer()),
    EndTime: Type.Optional(Type.Integer()),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    Status: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 3 }), { maxItems: 4 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const nowS = Math.floor(ctx.clock.now() / 1000);
    const from = (req.StartTime ?? nowS - 1800) * 1000;
    const to = (req.EndTime ?? nowS + 1800) * 1000;
    const page = req.Page ?? 1;
    const limit = req.Limit ?? 10;
    const statuses = req.Status && req.Status.length > 0 ? req.Status : null;
    const { total, rows } = await roomsPage(ctx.db, app.appId, { from, to, statuses }, limit, (page - 1) * limit);
    return {
      Total: total,
      Rooms: rows.map((r) => {
        const c = r.config;
        return {
          Name: c.Name,
          RoomId: Number(r.room_id),
          Status: r.status,
          StartTime: c.StartTime,
          EndTime: c.EndTime,
          // 0 until the room has really started / ended.
          RealStartTime: r.real_start === null ? 0 : Math.floor(r.real_start / 1000),
          RealEndTime: r.real_end === null ? 0 : Math.floor(r.real_end / 1000),
          Resolution: c.Resolution,
          MaxRTCMember: c.MaxMicNumber,
          ReplayUrl: "",
          RecordUrl: "",
          MaxMicNumber: c.MaxMicNumber,
          EnableDirectControl: c.EnableDirectControl,
          InteractionMode: c.InteractionMode,
          VideoOrientation: c.VideoOrientation,
          IsGradingRequiredPostClass: c.IsGradingRequiredPostClass,
          RoomType: c.RoomType,
          EndDelayTime: c.EndDelayTime,
          LiveType: c.LiveType,
          RecordLiveUrl: c.RecordLiveUrl,
          EnableAutoStart: c.EnableAutoStart,
          RecordBackground: c.RecordBackground,
          RecordScene: c.RecordScene,
          RecordLang: c.RecordLang,
          WhiteBoardSnapshotMode: c.WhiteBoardSnapshotMode,
          SubtitlesTranscription: c.SubtitlesTranscription,
        };
      }),
    };
  },
});
