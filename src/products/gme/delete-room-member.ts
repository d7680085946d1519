// DeleteRoomMember: removes users from a voice room (DeleteType 2), or everyone (1: the room
// is deleted). Here it is a ledger entry: the users leave the room at the call's time, as if
// their leave events had come (the presence, DescribeRoomInfo, the stays of
// DescribeUserInAndOutTime, and a recording whose room empties stops after the app's
// emptyRoomStopSeconds). No command reaches a voice server: one that must disconnect them
// learns it from its own integration (see the README).
//
// Where the cloud is silent:
// - A room nobody is in is ResourceNotFound; users of the list not in the room are skipped
//   (removing someone already gone is done), so a retried call succeeds.
// - Uids ("整型" ids sent as strings) must be decimal integers, StrUids ids of 1 to 127
//   printable characters; at most 100 users per call (UnsupportedOperation.LimitDeleteExceeded).
// - DeleteType 1 ignores Uids/StrUids.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownGmeApp } from "./app-access.ts";
import { noteEmptiedRooms } from "./empty-room-stop.ts";
import { gmeErrors } from "./errors.ts";
import { isIntegerId, isValidId, isValidUserId, LooseInteger } from "./params.ts";
import { logPresenceMarks } from "./presence-history.ts";
import { removeMembers, roomOccupied } from "./presence-store.ts";

export const MAX_REMOVED_USERS = 100;

const appNotFound = () => gmeErrors.resourceNotFound("The application does not exist.", "应用不存在。");

export const deleteRoomMember = defineAction({
  name: "DeleteRoomMember",
  request: Type.Object({
    RoomId: Type.String(),
    DeleteType: Type.Integer(),
    BizId: LooseInteger,
    Uids: Type.Optional(Type.Array(Type.String())),
    StrUids: Type.Optional(Type.Array(Type.String())),
  }),
  async handler(req, ctx) {
    const app = await ownGmeApp(ctx, req.BizId, appNotFound);
    if (req.DeleteType !== 1 && req.DeleteType !== 2) throw gmeErrors.invalidDeleteType();
    if (!isValidId(req.RoomId)) throw gmeErrors.invalidParameter("RoomId: 1 to 127 printable characters, no '/'.", "RoomId 格式错误。");
    let users: string[] | null = null;
    if (req.DeleteType === 2) {
      const uids = req.Uids ?? [];
      const strUids = req.StrUids ?? [];
      if (uids.some((u) => !isIntegerId(u))) throw gmeErrors.invalidUinOrStrUin();
      if (strUids.some((u) => !isValidUserId(u))) throw gmeErrors.invalidStrUin();
      users = [...new Set([...uids, ...strUids])];
      if (users.length === 0) throw gmeErrors.invalidUinOrStrUin();
      if (users.length > MAX_REMOVED_USERS) throw gmeErrors.limitDeleteExceeded();
    }
    const roomId = req.RoomId;
    await ctx.db.transaction(async (tx) => {
      if (!(await roomOccupied(tx, app.appId, roomId))) throw gmeErrors.resourceNotFound("The room does not exist.", "房间不存在。");
      const removed = await removeMembers(tx, app.appId, roomId, users, ctx.clock.now());
      await logPresenceMarks(
        tx,
        app.appId,
        removed.map((r) => ({ roomId, userId: r.userId, at: r.at, inRoom: false })),
      );
      await noteEmptiedRooms(tx, app, [roomId], ctx);
    });
    return { DeleteResult: { Code: 0, ErrorMsg: "" } };
  },
});
