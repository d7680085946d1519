// ModifyRoom: changes a room that has not started (once started, only the fields in
// MODIFIABLE_AFTER_START; an ended or expired room cannot change). New times re-schedule
// the automatic start and end.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { checkConfig, MODIFIABLE_AFTER_START, type RoomConfig } from "./room-config.ts";
import { roomFields } from "./room-fields.ts";
import { checkReferences } from "./room-references.ts";
import { scheduleRoom } from "./room-lifecycle.ts";
import { ownRoom, RoomStatus, updateRoomConfig } from "./rooms-store.ts";

export const modifyRoom = defineAction({
  name: "ModifyRoom",
  request: Type.Object({ ...roomFields, RoomId: Type.Integer(), SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const { RoomId, SdkAppId, ...change } = req;
    const app = await lcicApp(ctx, SdkAppId);
    await ctx.db.transaction(async (tx) => {
      const room = await ownRoom(ctx, RoomId, { appId: app.appId, q: tx, lock: true });
      if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
      if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
      const fields = Object.keys(change);
      if (room.status === RoomStatus.Started && fields.some((f) => !MODIFIABLE_AFTER_START.has(f))) throw lcicErrors.classStarted();
      const config: RoomConfig = { ...room.config, ...(change as Partial<RoomConfig>) };
      // Only a new StartTime must lie in the future.
      checkConfig(config, Math.floor(ctx.clock.now() / 1000), change.StartTime !== undefined);
      await checkReferences(tx, app.appId, config);
      await updateRoomConfig(tx, room, config);
      if (room.status === RoomStatus.NotStarted) await scheduleRoom(ctx, tx, app.appId, room.roomId, config);
    });
    return {};
  },
});
