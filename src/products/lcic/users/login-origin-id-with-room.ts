// LoginOriginIdWithRoom: LoginOriginId for one room of the app (see LoginUserWithRoom: a
// room that is not the app's is ResourceNotFound.Room).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { newToken, userByOriginId } from "./users-store.ts";

export const loginOriginIdWithRoom = defineAction({
  name: "LoginOriginIdWithRoom",
  request: Type.Object({ SdkAppId: Type.Integer(), OriginId: Type.String({ maxLength: 256 }), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const user = req.OriginId ? await userByOriginId(ctx.db, req.OriginId, [app.appId]) : null;
    if (!user) throw lcicErrors.userNotFound();
    await ownRoom(ctx, req.RoomId, { appId: app.appId });
    return { UserId: user.UserId, Token: newToken() };
  },
});
