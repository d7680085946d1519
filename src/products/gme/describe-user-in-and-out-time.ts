// DescribeUserInAndOutTime: when a user entered and left a voice room, and the total time in
// it, from the presence history (every enter and leave the ingest events reported, and the
// removals of DeleteRoomMember). Times in Unix ms, as the documented example's
// (StartTime 1606355700701); Duration is the sum of the stays in ms (the example's 2615453
// is exactly that sum).
//
// Where the cloud is silent:
// - RoomIdStr / UserIdStr, when given (non-empty), name the room / user instead of the
//   integer RoomId / UserId (still required by the model: send 0 beside a string id), as
//   ModifyUserMicStatus says of its StrUid ("优先处理StrUid").
// - A stay still open (the user is in the room now) ends now, so Duration is the time so far.
// - A user never seen in the room answers an empty list and Duration 0, not an error.
// - Stays are folded from the marks in event time: a late event lands where it belongs;
//   sending audio counts as being in the room, as for the live presence.
// - The history is kept for ROOMLEDGER_ROOM_LOG_RETENTION_DAYS (30 by default; the cloud's
//   retention is not documented): stays that ended before then are gone (presence-history.ts).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownGmeApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { integerIdOf, isValidId, isValidUserId, LooseInteger } from "./params.ts";
import { foldIntervals, presenceMarks } from "./presence-history.ts";

export const describeUserInAndOutTime = defineAction({
  name: "DescribeUserInAndOutTime",
  request: Type.Object({
    BizId: LooseInteger,
    RoomId: LooseInteger,
    UserId: LooseInteger,
    UserIdStr: Type.Optional(Type.String()),
    RoomIdStr: Type.Optional(Type.String()),
  }),
  async handler(req, ctx) {
    const app = await ownGmeApp(ctx, req.BizId, gmeErrors.bizIdNotFound);
    const roomId = req.RoomIdStr ? req.RoomIdStr : integerIdOf(req.RoomId, "RoomId");
    const userId = req.UserIdStr ? req.UserIdStr : integerIdOf(req.UserId, "UserId");
    if (!isValidId(roomId)) throw gmeErrors.invalidParameter("RoomIdStr: 1 to 127 printable characters, no '/'.", "RoomIdStr 格式错误。");
    if (!isValidUserId(userId))
      throw gmeErrors.invalidParameter("UserIdStr: 1 to 127 printable characters, no '/', not \"0\".", "UserIdStr 格式错误。");
    const stays = foldIntervals(await presenceMarks(ctx.db, app.appId, roomId, userId), ctx.clock.now());
    return {
      InOutList: stays.map((s) => ({ StartTime: s.start, EndTime: s.end })),
      Duration: stays.reduce((sum, s) => sum + (s.end - s.start), 0),
    };
  },
});
