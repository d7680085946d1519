// UnblockKickedUser: lifts a kick's entry bar. A user with no kick in the room is
// ResourceNotFound.User. The member's state becomes offline (2) until they come back.
import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { isApiError } from "../../../errors/api-error.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, unblockUser } from "./rooms-store.ts";
import { appendEvents } from "../events/stream-store.ts";
import { Kind } from "../events/stream.ts";

export const unblockKickedUser = defineAction({
  name: "UnblockKickedUser",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer(), UserId: Type.String({ minLength: 1, maxLength: 128 }) }),
  async handler(req, ctx) {
    // Tencent lists only ResourceNotFound.Room (and InternalError) for this action: an
    // SdkAppId that is not the caller's names no room of theirs.
    const app = await lcicApp(ctx, req.SdkAppId).catch((err: unknown) => {
      throw isApiError(err) ? lcicErrors.roomNotFound() : err;
    });
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { appId: app.appId, q: tx, lock: true });
      if (!(await unblockUser(tx, room, req.UserId))) throw lcicErrors.userNotFound();
      await appendEvents(tx, room.appId, room.roomId, [
        { id: `roomledger:unblock:${randomUUID()}`, kind: Kind.MemberUnblocked, ctime: ctx.clock.now(), userId: req.UserId },
      ]);
    });
    return {};
  },
});
