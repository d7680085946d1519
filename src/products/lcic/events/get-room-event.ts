// GetRoomEvent: the room's events of the documented types, in the stream's order.
// Total counts all of them whatever the Keyword; with a Keyword, Page and Limit do not
// apply ("keyword为空时有效") and every event of that type is returned, as Tencent documents.
// Tencent keeps them for one hour after the class; roomledger for
// ROOMLEDGER_ROOM_LOG_RETENTION_DAYS after it (30 by default; log-retention.ts), then answers
// an empty list.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { wireEventsPage } from "./stream-store.ts";
import { Kind, kindsOfWireType, WIRE_EVENT_TYPES, WIRE_KINDS, wireEventType, type StreamEvent } from "./stream.ts";

export const getRoomEvent = defineAction({
  name: "GetRoomEvent",
  request: Type.Object({
    RoomId: Type.Integer(),
    SdkAppId: Type.Integer(),
    Page: Type.Integer({ minimum: 1 }),
    Limit: Type.Integer({ minimum: 1, maximum: 100 }),
    Keyword: Type.Optional(Type.String({ maxLength: 32 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    if (
      req.Keyword &&
      !WIRE_EVENT_TYPES.includes(req.Keyword) &&
      req.Keyword !== "RecordFinish" &&
      req.Keyword !== "VisibleOn" &&
      req.Keyword !== "VisibleOff"
    ) {
      throw lcicErrors.invalidValue("Keyword", `must be one of ${WIRE_EVENT_TYPES.join(", ")}, RecordFinish, VisibleOn, VisibleOff`);
    }
    const kinds = req.Keyword ? kindsOfWireType(req.Keyword) : WIRE_KINDS;
    const page = req.Keyword ? null : { limit: req.Limit, offset: (req.Page - 1) * req.Limit };
    const { total, events } = await wireEventsPage(ctx.db, room.appId, room.roomId, WIRE_KINDS, kinds, page);
    return { Total: total, Events: events.map((e) => eventInfo(room.roomId, e)) };
  },
});

function eventInfo(roomId: number, e: StreamEvent) {
  const data: Record<string, unknown> = { RoomId: roomId };
  if (e.userId) data.UserId = e.userId;
  if (e.kind === Kind.MemberJoined) data.Device = e.device ?? 0;
  if (e.kind === Kind.MemberQuit || e.kind === Kind.HeartbeatLost) data.Reason = e.reason ?? 0;
  if ((e.kind === Kind.MemberJoined || e.kind === Kind.MemberQuit) && e.role !== null && e.role !== undefined) data.Role = e.role;
  return { Timestamp: Math.floor(e.ctime / 1000), EventType: wireEventType(e.kind), EventData: data };
}
