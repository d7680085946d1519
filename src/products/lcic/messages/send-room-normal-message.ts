// SendRoomNormalMessage: a message into the room's chat from FromAccount, as the server
// API sends it. It gets the room's next Seq and counts in the statistics like a chat
// message reported by the client app. Mapping of TIM elements to GetRoomMessage items:
// TIMTextElem → 0 text, TIMImageElem → 1 image (URL of the first image info),
// TIMCustomElem → 2 custom, TIMFaceElem → 2 custom {Data, Desc: the face index}.
// A FromAccount muted in the room (ForbidSendMsg) is FailedOperation: IM refuses a muted
// member's message.
import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { tencentErrors } from "../../../errors/tencent-common.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { insertMessages, type MessageItem } from "./messages-store.ts";
import { isMuted } from "./mutes-store.ts";
import { ownRoom, RoomStatus } from "../rooms/rooms-store.ts";
import { appendEvents } from "../events/stream-store.ts";
import { Kind } from "../events/stream.ts";

const Custom = Type.Object({ Data: Type.Optional(Type.String()), Desc: Type.Optional(Type.String()), Ext: Type.Optional(Type.String()) });

export const sendRoomNormalMessage = defineAction({
  name: "SendRoomNormalMessage",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomId: Type.Integer(),
    FromAccount: Type.String({ maxLength: 128 }),
    MsgBody: Type.Array(
      Type.Object({
        MsgType: Type.String({ maxLength: 32 }),
        TextMsgContent: Type.Optional(Type.Object({ Text: Type.String({ maxLength: 12_000 }) })),
        FaceMsgContent: Type.Optional(Type.Object({ Index: Type.Integer(), Data: Type.Optional(Type.String()) })),
        ImageMsgContent: Type.Optional(
          Type.Object({
            UUID: Type.String(),
            ImageFormat: Type.Integer(),
            ImageInfoList: Type.Array(
              Type.Object({
                Type: Type.Integer(),
                Size: Type.Integer(),
                Width: Type.Integer(),
                Height: Type.Integer(),
                URL: Type.String(),
              }),
            ),
          }),
        ),
        CustomMsgContent: Type.Optional(Custom),
      }),
      { minItems: 1, maxItems: 20 },
    ),
    CloudCustomData: Type.Optional(Type.String()),
    NickName: Type.Optional(Type.String({ maxLength: 256 })),
    Priority: Type.Optional(Type.Union([Type.Literal("High"), Type.Literal("Normal"), Type.Literal("Low")])),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    if (req.FromAccount === "") throw lcicErrors.invalidValue("FromAccount", "must not be empty");
    const body: MessageItem[] = req.MsgBody.map((m, i): MessageItem => {
      switch (m.MsgType) {
        case "TIMTextElem":
          if (!m.TextMsgContent) throw tencentErrors.missingParameter(`MsgBody.${i}.TextMsgContent`);
          return { MessageType: 0, TextMessage: m.TextMsgContent.Text };
        case "TIMImageElem":
          if (!m.ImageMsgContent) throw tencentErrors.missingParameter(`MsgBody.${i}.ImageMsgContent`);
          return { MessageType: 1, ImageMessage: m.ImageMsgContent.ImageInfoList[0]?.URL ?? "" };
        case "TIMCustomElem":
          if (!m.CustomMsgContent) throw tencentErrors.missingParameter(`MsgBody.${i}.CustomMsgContent`);
          return {
            MessageType: 2,
            CustomMessage: { Data: m.CustomMsgContent.Data ?? "", Desc: m.CustomMsgContent.Desc ?? "", Ext: m.CustomMsgContent.Ext ?? "" },
          };
        case "TIMFaceElem":
          if (!m.FaceMsgContent) throw tencentErrors.missingParameter(`MsgBody.${i}.FaceMsgContent`);
          return { MessageType: 2, CustomMessage: { Data: m.FaceMsgContent.Data ?? "", Desc: String(m.FaceMsgContent.Index), Ext: "" } };
        default:
          throw lcicErrors.invalidValue(`MsgBody.${i}.MsgType`, "must be TIMTextElem, TIMFaceElem, TIMImageElem or TIMCustomElem");
      }
    });
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { appId: app.appId, q: tx, lock: true });
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      const now = ctx.clock.now();
      if (await isMuted(tx, room.appId, room.roomId, req.FromAccount, Math.floor(now / 1000)))
        throw lcicErrors.failed("the sender is muted in this room");
      const id = `roomledger:message:${randomUUID()}`;
      await appendEvents(tx, room.appId, room.roomId, [{ id, kind: Kind.Message, ctime: now, userId: req.FromAccount }]);
      await insertMessages(tx, room.appId, room.roomId, [{ id, ctime: now, from: req.FromAccount, body }]);
    });
    return {};
  },
});
