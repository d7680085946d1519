// ModifyUserMicStatus: the server mutes (EnableMic 1) or unmutes (2) users of a voice room.
// A muted user is not heard even if their client keeps its mic on, until they leave the
// room or are unmuted. Here: the member is marked muted; a muted user sending audio is not a
// speaker, so a recording does not begin their stream (the task view's toBegin and capture
// leave them out, and a recorder's begin report for them is not recorded), and a stream that
// began stops being captured (a recorder drops it from what it captures; its entry keeps its
// begin time and continues if they are unmuted, like a pause). As with DeleteRoomMember, no
// command reaches a voice server.
//
// Where the cloud is silent:
// - StrUid, when given (non-empty, non-null: the model lets it be null), names the user, else
//   Uid ("优先处理StrUid"); one of them is required.
// - All or nothing: a room nobody is in, or a listed user not in the room, is
//   ResourceNotFound naming them, and nothing changes. At most 100 users per call; a user
//   listed twice takes the last state.
// - Result 0 and ErrMsg "" on success (failures are errors).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownGmeApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { integerIdOf, isValidId, isValidUserId, LooseInteger } from "./params.ts";
import { roomOccupied, setMicDisabled } from "./presence-store.ts";

export const MAX_MIC_USERS = 100;

const appNotFound = () => gmeErrors.resourceNotFound("The application does not exist.", "应用不存在。");

const UserMicStatus = Type.Object({
  EnableMic: Type.Integer(),
  Uid: Type.Optional(LooseInteger),
  // Null first: the model allows a null StrUid (and Ajv would otherwise coerce it to "").
  StrUid: Type.Optional(Type.Union([Type.Null(), Type.String()])),
});

export const modifyUserMicStatus = defineAction({
  name: "ModifyUserMicStatus",
  request: Type.Object({ BizId: LooseInteger, RoomId: Type.String(), Users: Type.Array(UserMicStatus) }),
  async handler(req, ctx) {
    const app = await ownGmeApp(ctx, req.BizId, appNotFound);
    if (!isValidId(req.RoomId)) throw gmeErrors.invalidParameter("RoomId: 1 to 127 printable characters, no '/'.", "RoomId 格式错误。");
    if (req.Users.length === 0) throw gmeErrors.invalidParameter("Users must name at least one user.", "Users 不能为空。");
    if (req.Users.length > MAX_MIC_USERS) throw gmeErrors.invalidParameter("At most 100 Users per request.", "Users 最多 100 个。");
    const wanted = new Map<string, boolean>();
    for (const u of req.Users) {
      if (u.EnableMic !== 1 && u.EnableMic !== 2)
        throw gmeErrors.invalidParameter("EnableMic must be 1 (off) or 2 (on).", "EnableMic 取值为 1 或 2。");
      let userId: string;
      if (u.StrUid) userId = u.StrUid;
      else if (u.Uid !== undefined) userId = integerIdOf(u.Uid, "Users.Uid");
      else throw gmeErrors.invalidParameter("Each user needs Uid or StrUid.", "Uid、StrUid 必须填一个。");
      if (!isValidUserId(userId)) throw gmeErrors.invalidParameter("StrUid: 1 to 127 printable characters, no '/'.", "StrUid 格式错误。");
      wanted.delete(userId); // the last state wins, in the list's order
      wanted.set(userId, u.EnableMic === 1);
    }
    await ctx.db.transaction(async (tx) => {
      if (!(await roomOccupied(tx, app.appId, req.RoomId))) throw gmeErrors.resourceNotFound("The room does not exist.", "房间不存在。");
      const changes = [...wanted].map(([userId, disabled]) => ({ userId, disabled }));
      const missing = await setMicDisabled(tx, app.appId, req.RoomId, changes);
      if (missing.length > 0) {
        throw gmeErrors.resourceNotFound(`Not in the room: ${missing.join(", ")}.`, `用户不在房间内：${missing.join(", ")}。`);
      }
    });
    return { Result: 0, ErrMsg: "" };
  },
});
