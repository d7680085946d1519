// GetPlaybackToken: a token for replaying the room (see playback-token.ts for its shape
// and the 100-year expiry of ExpireSeconds 0). UserId is only echoed ("" when not sent),
// as the cloud's token carries no user. Any room of the app may have a token, recorded or
// not, as the player checks the recording itself. ExpireSeconds at most 100 years.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { appPlaybackKey, NEVER_EXPIRES_S, signPlaybackToken, tokenExpiry } from "./playback-token.ts";

export const getPlaybackToken = defineAction({
  name: "GetPlaybackToken",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomId: Type.Integer(),
    UserId: Type.Optional(Type.String({ maxLength: 128 })),
    ExpireSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: NEVER_EXPIRES_S })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const key = await appPlaybackKey(ctx.db, app.appId);
    return {
      Token: signPlaybackToken(key, room.roomId, tokenExpiry(ctx.clock.now(), req.ExpireSeconds)),
      RoomId: room.roomId,
      UserId: req.UserId ?? "",
    };
  },
});
