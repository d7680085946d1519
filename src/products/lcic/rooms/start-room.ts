// StartRoom: starts the class now.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicErrors } from "../errors.ts";
import { startRoom as start } from "./room-lifecycle.ts";
import { ownRoom, RoomStatus } from "./rooms-store.ts";

export const startRoom = defineAction({
  name: "StartRoom",
  request: Type.Object({ RoomId: Type.Integer() }),
  async handler(req, ctx) {
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { q: tx, lock: true });
      if (room.status === RoomStatus.Started) throw lcicErrors.classStarted();
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      await start(ctx, tx, room, ctx.clock.now());
    });
    return {};
  },
});
