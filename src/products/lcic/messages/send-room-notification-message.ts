// SendRoomNotificationMessage: a system notification (通知、公告) from the app's administrator
// to the room, text only. As in the cloud, where it is an IM group system notification, it is
// not a chat message: GetRoomMessage does not list it and it does not count in the
// statistics. roomledger keeps it with the room (deleted with it); no Tencent action reads
// it back. Empty MsgContent is InvalidParameterValue; a room that is not the app's is
// ResourceNotFound.Room, an ended or expired one FailedOperation.ClassEnded/ClassExpired, as
// for SendRoomNormalMessage.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, RoomStatus } from "../rooms/rooms-store.ts";
import { insertNotification } from "./messages-store.ts";

export const sendRoomNotificationMessage = defineAction({
  name: "SendRoomNotificationMessage",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer(), MsgContent: Type.String({ maxLength: 12_000 }) }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    if (req.MsgContent === "") throw lcicErrors.invalidValue("MsgContent", "must not be empty");
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { appId: app.appId, q: tx, lock: true });
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      await insertNotification(tx, room.appId, room.roomId, ctx.clock.now(), req.MsgContent);
    });
    return {};
  },
});
