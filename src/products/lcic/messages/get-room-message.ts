// GetRoomMessage: the room's chat, paged backwards by Seq: the newest `Limit` messages
// before `Seq` (all when absent), returned oldest first; pass the first Seq of a page to
// get the page before it. Limit defaults to 20 and is capped at 100 (Tencent: "不能超过套餐包限制").
// Seq 0 reads as no Seq (the newest messages): the cloud's official example asks `Seq: 0,
// Limit: 1` and gets a message back, as a backend that treats a zero value as unset would;
// roomledger's Seqs start at 1, so "before 0" could never name a message anyway.
// Every MessageItem carries all four keys, as the cloud's model requires (none may be null or
// absent) and its example shows: the keys of the other message types are empty ("" and a
// CustomMessage of empty strings), the zero values a Go backend writes.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { type MessageItem, messagesBefore } from "./messages-store.ts";
import { ownRoom } from "../rooms/rooms-store.ts";

export const getRoomMessage = defineAction({
  name: "GetRoomMessage",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomId: Type.Integer(),
    Seq: Type.Optional(Type.Integer({ minimum: 0 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    UserId: Type.Optional(Type.String({ maxLength: 128 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    const rows = await messagesBefore(ctx.db, room.appId, room.roomId, {
      beforeSeq: req.Seq || null,
      from: req.UserId || null,
      limit: req.Limit ?? 20,
    });
    return {
      Messages: rows.reverse().map((r) => ({
        Timestamp: Math.floor(Number(r.ctime) / 1000),
        FromAccount: r.from_account,
        Seq: Number(r.seq),
        MessageBody: r.body.map(wireItem),
      })),
    };
  },
});

function wireItem(m: MessageItem) {
  return {
    MessageType: m.MessageType,
    TextMessage: m.TextMessage ?? "",
    ImageMessage: m.ImageMessage ?? "",
    CustomMessage: m.CustomMessage ?? { Data: "", Desc: "", Ext: "" },
  };
}
