// BatchGetPlaybackToken: GetPlaybackToken for up to 100 rooms of the app (more:
// InvalidParameter.ClassIDs), one Result per distinct RoomId in the order given; a room
// that is not the caller's is ResourceNotFound.Room (a typo must not vanish silently).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { existingRooms } from "../activity/activity-store.ts";
import { MAX_BATCH_ROOMS, recordErrors } from "./record-errors.ts";
import { appPlaybackKey, NEVER_EXPIRES_S, signPlaybackToken, tokenExpiry } from "./playback-token.ts";

export const batchGetPlaybackToken = defineAction({
  name: "BatchGetPlaybackToken",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomIds: Type.Array(Type.Integer()),
    ExpireSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: NEVER_EXPIRES_S })),
    UserId: Type.Optional(Type.String({ maxLength: 128 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    if (req.RoomIds.length > MAX_BATCH_ROOMS) throw recordErrors.tooManyRooms();
    const roomIds = [...new Set(req.RoomIds)];
    const found = await existingRooms(ctx.db, app.appId, roomIds);
    if (roomIds.some((id) => !found.has(id))) throw lcicErrors.roomNotFound();
    const key = await appPlaybackKey(ctx.db, app.appId);
    const exp = tokenExpiry(ctx.clock.now(), req.ExpireSeconds);
    return {
      Results: roomIds.map((roomId) => ({ RoomId: roomId, Token: signPlaybackToken(key, roomId, exp) })),
      Total: roomIds.length,
      UserId: req.UserId ?? "",
    };
  },
});
