// DescribePlaybackList: the app's classes that can be played back, newest first: those with
// an uploaded mixed recording, and the ended classes recorded by signalling (DisableRecord
// 3), less those DeletePlaybackItem removed; of one room with RoomId. Page from 1 (default
// 1), Limit default 10, at most 100 ("默认10条，最大上限为100条"). CreateTime is when the
// recording began; Duration its length in s (0 for signalling, as the cloud's example);
// FileSize the mixed files' size in MB, absent when there is no file (the example's item
// has none). PlaybackUrl carries a token that never expires: see playback-token.ts.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { appPlaybackKey, playbackUrl, signPlaybackToken, tokenExpiry } from "./playback-token.ts";
import { playbackPage } from "./record-store.ts";

const MB = 1024 * 1024;

export const describePlaybackList = defineAction({
  name: "DescribePlaybackList",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomId: Type.Optional(Type.Integer()),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const limit = req.Limit ?? 10;
    const { total, items } = await playbackPage(ctx.db, app.appId, req.RoomId ?? null, limit, ((req.Page ?? 1) - 1) * limit);
    const key = items.length > 0 ? await appPlaybackKey(ctx.db, app.appId) : "";
    return {
      Total: total,
      Items: items.map((i) => {
        // Dated from the recording, so that a page read twice gives the same URL.
        const token = signPlaybackToken(key, i.roomId, tokenExpiry(i.createS * 1000, 0));
        const item: Record<string, unknown> = {
          RoomId: i.roomId,
          PlaybackUrl: playbackUrl(i.roomId, token),
          Duration: i.durationS,
          CreateTime: i.createS,
        };
        if (i.bytes !== null) item.FileSize = Math.round((i.bytes / MB) * 100) / 100;
        return item;
      }),
    };
  },
});
