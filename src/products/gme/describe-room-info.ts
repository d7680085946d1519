// DescribeRoomInfo: who is in each of up to 10 integer (RoomIds) and 10 string (StrRoomIds)
// voice rooms, from the presence the ingest events report.
//
// Where the cloud is silent:
// - Rooms are strings here; RoomIds [10086] names the room "10086". One RoomUser per room
//   asked, in request order (integer ones first), duplicates once; a room nobody is in is
//   answered with empty lists (the question has an answer: nobody).
// - A room asked by integer answers RoomId n and StrRoomId ""; by string, RoomId 0 and
//   StrRoomId s (the documented examples' shape).
// - Users whose id is an integer (GME's classic numeric openids) are listed in Uins, the
//   others in StrUins, whichever way the room was asked (the first example lists a numeric
//   user in Uins for a room asked by StrRoomIds).
// - Result is 0: errors are errors. The documented examples' Result 1 on a successful
//   answer contradicts the field's own description ("0成功") and is not copied.
// - The action's error list has InvalidParameter and no BizId code: an SdkAppId that is not
//   the caller's GME app, no room, or more than 10 of a kind are InvalidParameter.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { gmeErrors } from "./errors.ts";
import { ownGmeApp } from "./app-access.ts";
import { integerIdOf, isIntegerId, isValidId, LooseInteger } from "./params.ts";
import { membersOfRooms } from "./presence-store.ts";

export const MAX_ROOMS_PER_KIND = 10;

const invalid = (message: string, messageZh: string) => () => gmeErrors.invalidParameter(message, messageZh);
const notOurApp = invalid("SdkAppId is not a GME application of this account.", "SdkAppId 不是本账号的 GME 应用。");

export const describeRoomInfo = defineAction({
  name: "DescribeRoomInfo",
  request: Type.Object({
    SdkAppId: LooseInteger,
    RoomIds: Type.Optional(Type.Array(LooseInteger)),
    StrRoomIds: Type.Optional(Type.Array(Type.String())),
  }),
  async handler(req, ctx) {
    const app = await ownGmeApp(ctx, req.SdkAppId, notOurApp);
    const ints = [...new Set((req.RoomIds ?? []).map((v) => integerIdOf(v, "RoomIds")))];
    const strs = [...new Set(req.StrRoomIds ?? [])];
    if (ints.length === 0 && strs.length === 0)
      throw invalid("RoomIds or StrRoomIds must name a room.", "RoomIds、StrRoomIds 必须填一个。")();
    if (ints.length > MAX_ROOMS_PER_KIND || strs.length > MAX_ROOMS_PER_KIND) {
      throw invalid("At most 10 RoomIds and 10 StrRoomIds.", "房间号列表最大不能超过10个。")();
    }
    for (const s of strs) if (!isValidId(s)) throw invalid("StrRoomIds: 1 to 127 printable characters, no '/'.", "StrRoomIds 格式错误。")();
    const members = await membersOfRooms(ctx.db, app.appId, [...ints, ...strs]);
    const usersOf = (roomId: string) => {
      const users = members.get(roomId) ?? [];
      return { Uins: users.filter(isIntegerId).map(Number), StrUins: users.filter((u) => !isIntegerId(u)) };
    };
    const roomUser = (roomId: number, strRoomId: string, key: string) => {
      const { Uins, StrUins } = usersOf(key);
      return { RoomId: roomId, Uins, StrRoomId: strRoomId, StrUins };
    };
    return {
      Result: 0,
      RoomUsers: [...ints.map((r) => roomUser(Number(r), "", r)), ...strs.map((s) => roomUser(0, s, s))],
    };
  },
});
