// KickUserFromRoom: KickType 1 removes the member and bars entry for Duration seconds;
// KickType 2 removes and bars them for good (until UnblockKickedUser). The kick is part of
// the room's stream (CurrentState 3/4); a member online at the time also quits with
// reason 1/2 (GetRoomEvent, MemberQuit callback). Kicking a user who is not in the room
// records the block alone.
import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { isApiError } from "../../../errors/api-error.ts";
import { enqueueCallback } from "../../../callbacks/tencent-callback.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { memberQuitCallback } from "./room-lifecycle.ts";
import { ownRoom, RoomStatus, blockUser } from "./rooms-store.ts";
import { appendEvents, onlineMembers } from "../events/stream-store.ts";
import { Kind, type StreamEvent } from "../events/stream.ts";

export const kickUserFromRoom = defineAction({
  name: "KickUserFromRoom",
  request: Type.Object({
    RoomId: Type.Integer(),
    SdkAppId: Type.Integer(),
    UserId: Type.String({ minLength: 1, maxLength: 128 }),
    KickType: Type.Integer(),
    // The SDK model marks it required; "KickType = 1时生效，默认为0".
    Duration: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  async handler(req, ctx) {
    if (req.KickType !== 1 && req.KickType !== 2) throw lcicErrors.invalidValue("KickType", "must be 1 or 2");
    // Tencent lists only ResourceNotFound.Room (and InternalError) for this action: an
    // SdkAppId that is not the caller's names no room of theirs.
    const app = await lcicApp(ctx, req.SdkAppId).catch((err: unknown) => {
      throw isApiError(err) ? lcicErrors.roomNotFound() : err;
    });
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { appId: app.appId, q: tx, lock: true });
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      const now = ctx.clock.now();
      const until = req.KickType === 2 ? null : now + (req.Duration ?? 0) * 1000;
      await blockUser(tx, room, req.UserId, req.KickType, until);
      const online = (await onlineMembers(tx, room.appId, room.roomId)).find((m) => m.userId === req.UserId);
      const key = randomUUID();
      const events: StreamEvent[] = [];
      if (online)
        events.push({
          id: `roomledger:kick-quit:${key}`,
          kind: Kind.MemberQuit,
          ctime: now,
          userId: req.UserId,
          role: online.role,
          reason: req.KickType,
        });
      events.push({ id: `roomledger:kick:${key}`, kind: Kind.MemberKicked, ctime: now, userId: req.UserId, reason: req.KickType });
      await appendEvents(tx, room.appId, room.roomId, events);
      if (online) await enqueueCallback(ctx, tx, memberQuitCallback(room.appId, room.roomId, events[0]!));
    });
    return {};
  },
});
