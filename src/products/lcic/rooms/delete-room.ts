// DeleteRoom: deletes a room that is not in class (FailedOperation.ClassStarted while it
// is), with its events, messages and statistics. Its pending jobs find nothing and stop.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicErrors } from "../errors.ts";
import { deleteRoomData, ownRoom, RoomStatus } from "./rooms-store.ts";

export const deleteRoom = defineAction({
  name: "DeleteRoom",
  request: Type.Object({ RoomId: Type.Integer() }),
  async handler(req, ctx) {
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, req.RoomId, { q: tx, lock: true });
      if (room.status === RoomStatus.Started) throw lcicErrors.classStarted();
      await deleteRoomData(tx, room.appId, room.roomId);
    });
    return {};
  },
});
