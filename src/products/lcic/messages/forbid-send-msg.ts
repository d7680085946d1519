// ForbidSendMsg: mutes up to 500 members of a room's chat for MuteTime seconds
// (4294967295: for good), or lifts their mutes (MuteTime 0). A mute outlives leaving and
// re-entering the room, as Tencent says; a new mute replaces the previous one. A muted
// member cannot be the sender of SendRoomNormalMessage (FailedOperation), and was muted in
// the class: in a room that has not ended, each mute is part of the room's stream, so the
// member's Silence is 1 in the statistics. Any user id may be muted, registered or not (the
// chat group's accounts, as KickUserFromRoom takes them).
// A room that is not the caller's app's is ResourceNotFound.Room, the code every LCIC
// action gives a missing room (Tencent lists only InvalidParameter(.SdkAppId) for this one).
import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, RoomStatus } from "../rooms/rooms-store.ts";
import { appendEvents } from "../events/stream-store.ts";
import { Kind, type StreamEvent } from "../events/stream.ts";
import { FOREVER, muteMembers, unmuteMembers } from "./mutes-store.ts";

export const forbidSendMsg = defineAction({
  name: "ForbidSendMsg",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    RoomId: Type.Integer(),
    MembersAccount: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 500 }),
    MuteTime: Type.Integer({ minimum: 0, maximum: FOREVER }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    if (req.MembersAccount.includes("")) throw lcicErrors.invalidValue("MembersAccount", "a user id must not be empty");
    const members = [...new Set(req.MembersAccount)];
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { appId: app.appId, q: tx, lock: true });
      const now = ctx.clock.now();
      const nowS = Math.floor(now / 1000);
      let changed: string[];
      if (req.MuteTime === 0) changed = await unmuteMembers(tx, room.appId, room.roomId, members, nowS);
      else {
        await muteMembers(tx, room.appId, room.roomId, members, req.MuteTime === FOREVER ? FOREVER : nowS + req.MuteTime);
        changed = members;
      }
      if (room.status !== RoomStatus.NotStarted && room.status !== RoomStatus.Started) return;
      const kind = req.MuteTime === 0 ? Kind.MemberUnmuted : Kind.MemberMuted;
      const key = randomUUID();
      const events: StreamEvent[] = changed.map((userId, i) => ({ id: `roomledger:mute:${key}:${i}`, kind, ctime: now, userId }));
      await appendEvents(tx, room.appId, room.roomId, events);
    });
    return {};
  },
});
