// BatchCreateRoom: several rooms of one app in one call, each as CreateRoom would create it
// (same defaults, checks and codes); RoomIds in the order given. All or nothing: the first
// room that CreateRoom would refuse refuses the batch, with CreateRoom's code and its message
// prefixed with the room's place ("RoomInfos.2: ..."), and no room is created. Tencent
// documents no limit; roomledger takes at most 100 rooms a call.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { ApiError, isApiError } from "../../../errors/api-error.ts";
import { lcicApp } from "../apps.ts";
import { checkConfig, withDefaults, type RoomConfig, type RoomInput } from "./room-config.ts";
import { roomFields } from "./room-fields.ts";
import { checkReferences } from "./room-references.ts";
import { scheduleRoom } from "./room-lifecycle.ts";
import { insertRoom } from "./rooms-store.ts";

const MAX_ROOMS = 100;

const RoomInfo = Type.Object({
  ...roomFields,
  Name: Type.String({ maxLength: 1024 }),
  StartTime: Type.Integer(),
  EndTime: Type.Integer(),
  Resolution: Type.Integer(),
  MaxMicNumber: Type.Integer(),
  SubType: Type.String({ maxLength: 32 }),
});

/** Runs a check of room `i`, naming the room in the error's message. */
async function forRoom<T>(i: number, check: () => T | Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (!isApiError(err)) throw err;
    throw new ApiError(err.code, { message: `RoomInfos.${i}: ${err.message}`, messageZh: `RoomInfos.${i}：${err.messageZh}` });
  }
}

export const batchCreateRoom = defineAction({
  name: "BatchCreateRoom",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomInfos: Type.Array(RoomInfo, { minItems: 1, maxItems: MAX_ROOMS }) }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const nowS = Math.floor(ctx.clock.now() / 1000);
    const configs: RoomConfig[] = [];
    for (const [i, info] of req.RoomInfos.entries()) {
      configs.push(
        await forRoom(i, () => {
          const config = withDefaults(info as RoomInput);
          checkConfig(config, nowS, true);
          return config;
        }),
      );
    }
    const roomIds = await ctx.db.transaction(async (tx) => {
      const ids: number[] = [];
      for (const [i, config] of configs.entries()) {
        await forRoom(i, () => checkReferences(tx, app.appId, config));
        const id = await insertRoom(tx, app.appId, ctx.account.accountId, config, ctx.clock.now());
        await scheduleRoom(ctx, tx, app.appId, id, config);
        ids.push(id);
      }
      return ids;
    });
    return { RoomIds: roomIds };
  },
});
