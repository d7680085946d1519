// Ingest events that keep whiteboard pushes and online recordings alive: whiteboard operations in a whiteboard
// room, and audio/video upstream in a TRTC room. Neither is visible to roomledger
// otherwise; the whiteboard and TRTC clients (or the media server) report them. Their
// arrival time (stime, domain clock) counts, so a client's clock cannot postpone a stop.
import { Type } from "@sinclair/typebox";
import { defineEventType } from "../../ingest/event-type.ts";
import { touchTrtcRooms, touchWhiteboardRooms } from "./push-store.ts";
import { touchRecordRooms, touchRecordTrtcRooms } from "./record-store.ts";

export const whiteboardActivityEvent = defineEventType({
  type: "tiw.whiteboard.activity",
  product: "tiw",
  data: Type.Object(
    {
      roomId: Type.Integer({ minimum: 1, maximum: 4294967295, description: "the whiteboard room (StartWhiteboardPush RoomId)" }),
      userId: Type.Optional(Type.String({ maxLength: 128, description: "who operated the whiteboard" })),
    },
    { additionalProperties: false },
  ),
  async apply(tx, app, events) {
    const at = Math.max(...events.map((e) => e.stime));
    const rooms = [...new Set(events.map((e) => e.data.roomId))];
    await touchWhiteboardRooms(tx, app.appId, rooms, at);
    await touchRecordRooms(tx, app.appId, rooms, at);
  },
});

export const avUpstreamEvent = defineEventType({
  type: "tiw.av.upstream",
  product: "tiw",
  data: Type.Object(
    {
      trtcRoomId: Type.Union([Type.Integer({ minimum: 1 }), Type.String({ minLength: 1, maxLength: 64 })], {
        description: "the TRTC room (TRTCRoomIdStr, TRTCRoomId, or the RoomId the push went into)",
      }),
      userId: Type.String({ minLength: 1, maxLength: 128, description: "the user whose audio/video went up" }),
    },
    { additionalProperties: false },
  ),
  async apply(tx, app, events) {
    const at = Math.max(...events.map((e) => e.stime));
    const upstreams = events.map((e) => ({ room: String(e.data.trtcRoomId), userId: e.data.userId }));
    await touchTrtcRooms(tx, app.appId, upstreams, at);
    await touchRecordTrtcRooms(tx, app.appId, upstreams, at);
  },
});
