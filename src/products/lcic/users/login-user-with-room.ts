// LoginUserWithRoom: a login token for a registered user, for one room (in the cloud the
// token carries the class id; here, as LoginUser's, it is opaque). The room must be one of
// the caller's, in the user's app: otherwise ResourceNotFound.Room (undocumented for this
// action, whose list names only ResourceNotFound.User; it is the code every other LCIC
// action gives a missing room). A room in any state, ended ones too, gives a token: the
// client app also opens ended classes (playback).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { newToken, userById } from "./users-store.ts";

export const loginUserWithRoom = defineAction({
  name: "LoginUserWithRoom",
  request: Type.Object({ UserId: Type.String({ maxLength: 128 }), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const user = await userById(ctx.db, req.UserId, await lcicAppIds(ctx));
    if (!user) throw lcicErrors.userNotFound();
    await ownRoom(ctx, req.RoomId, { appId: String(user.SdkAppId) });
    return { UserId: user.UserId, Token: newToken() };
  },
});
