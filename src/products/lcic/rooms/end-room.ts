// EndRoom: ends the class now. A room that never started may be ended too (it then has no
// RealStartTime and nobody has class time); Tencent documents no error for it.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicErrors } from "../errors.ts";
import { endRoom as end } from "./room-lifecycle.ts";
import { ownRoom, RoomStatus } from "./rooms-store.ts";

export const endRoom = defineAction({
  name: "EndRoom",
  request: Type.Object({ RoomId: Type.Integer() }),
  async handler(req, ctx) {
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { q: tx, lock: true });
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      await end(ctx, tx, room, ctx.clock.now());
    });
    return {};
  },
});
