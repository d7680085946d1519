// CreateRoom: a room of an LCIC app, scheduled to start and end by itself (room-lifecycle).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { checkConfig, withDefaults, type RoomInput } from "./room-config.ts";
import { roomFields } from "./room-fields.ts";
import { checkReferences } from "./room-references.ts";
import { scheduleRoom } from "./room-lifecycle.ts";
import { insertRoom } from "./rooms-store.ts";

export const createRoom = defineAction({
  name: "CreateRoom",
  request: Type.Object({
    ...roomFields,
    Name: Type.String({ maxLength: 1024 }),
    StartTime: Type.Integer(),
    EndTime: Type.Integer(),
    SdkAppId: Type.Integer(),
    Resolution: Type.Integer(),
    MaxMicNumber: Type.Integer(),
    SubType: Type.String({ maxLength: 32 }),
  }),
  async handler(req, ctx) {
    const { SdkAppId, ...input } = req;
    const app = await lcicApp(ctx, SdkAppId);
    const config = withDefaults(input as RoomInput);
    checkConfig(config, Math.floor(ctx.clock.now() / 1000), true);
    const roomId = await ctx.db.transaction(async (tx) => {
      await checkReferences(tx, app.appId, config);
      const id = await insertRoom(tx, app.appId, ctx.account.accountId, config, ctx.clock.now());
      await scheduleRoom(ctx, tx, app.appId, id, config);
      return id;
    });
    return { RoomId: roomId };
  },
});
