// GME voice rooms: DescribeRoomInfo, DescribeUserInAndOutTime, DeleteRoomMember,
// ModifyUserMicStatus, in the official examples' request shapes, on rooms with people in them.
import { randomUUID } from "node:crypto";
import { ingest, recordingApp } from "../../gme/gme-support.ts";
import { cases } from "../case.ts";

export default cases([
  {
    action: "DescribeRoomInfo",
    name: "the official example: an integer and a string room",
    async run(ctx) {
      const { BizId, room } = await recordingApp(ctx.server);
      await room.enter("10086", "100982048", "alice");
      await room.enter("10090", "100982049", "bob");
      await ctx.call("DescribeRoomInfo", { RoomIds: [10086], StrRoomIds: ["10090"], SdkAppId: BizId });
    },
    populated: ["Result", "RoomUsers[].RoomId", "RoomUsers[].Uins[]", "RoomUsers[].StrRoomId", "RoomUsers[].StrUins[]"],
  },
  {
    action: "DescribeUserInAndOutTime",
    name: "the official example: a user who came and went",
    async run(ctx) {
      const { BizId, key } = await recordingApp(ctx.server);
      const t0 = Date.now() - 600_000;
      const ev = (type: string, at: number) => ({
        id: randomUUID(),
        type,
        ctime: t0 + at,
        data: { roomId: "12675079", userId: "112675079" },
      });
      const res = await ingest(ctx.server, key, [
        ev("gme.user.entered", 0),
        ev("gme.user.left", 11_844),
        ev("gme.user.entered", 134_520),
        ev("gme.user.left", 282_539),
      ]);
      if (res.status !== 200) throw new Error(`ingest ${res.status}`);
      await ctx.call("DescribeUserInAndOutTime", { BizId, RoomId: 12675079, UserId: 112675079 });
    },
    populated: ["InOutList[].StartTime", "InOutList[].EndTime", "Duration"],
  },
  {
    action: "DeleteRoomMember",
    name: "the official example: two users removed",
    async run(ctx) {
      const { BizId, room } = await recordingApp(ctx.server);
      await room.enter("100", "1", "2", "3");
      await ctx.call("DeleteRoomMember", { DeleteType: 2, RoomId: "100", BizId, Uids: ["2", "1"], StrUids: [] });
    },
    populated: ["DeleteResult.Code", "DeleteResult.ErrorMsg"],
  },
  {
    action: "ModifyUserMicStatus",
    name: "the official example: a user muted",
    async run(ctx) {
      const { BizId, room } = await recordingApp(ctx.server);
      await room.speak("300", "1111");
      await ctx.call("ModifyUserMicStatus", { BizId, RoomId: "300", Users: [{ Uid: 1111, EnableMic: 1, StrUid: "" }] });
    },
    populated: ["Result", "ErrMsg"],
  },
]);
