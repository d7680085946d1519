// DescribeRoomForbiddenUser: the room's members muted now (ForbidSendMsg), by user id, each
// with the Unix time their mute ends (4294967295 for good). An expired mute is not listed;
// no one muted is an empty list. A room that is not the app's is ResourceNotFound.Room (see
// ForbidSendMsg).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { mutedMembers } from "./mutes-store.ts";

export const describeRoomForbiddenUser = defineAction({
  name: "DescribeRoomForbiddenUser",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const muted = await mutedMembers(ctx.db, room.appId, room.roomId, Math.floor(ctx.clock.now() / 1000));
    return { MutedAccountList: muted.map((m) => ({ MemberAccount: m.userId, MutedUntil: m.until })) };
  },
});
