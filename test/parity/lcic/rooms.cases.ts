// LCIC rooms: CreateRoom, DescribeRoom, ModifyRoom, DeleteRoom, StartRoom, EndRoom, GetRooms.
import { serverNow } from "../../lcic/lcic-support.ts";
import { cases, type ParityContext } from "../case.ts";
import { lcicClass, roomOptions } from "./fixture.ts";

/** A fresh room of the shared school, scheduled from now on. */
async function freshRoom(ctx: ParityContext, over: Record<string, unknown> = {}): Promise<number> {
  const k = await lcicClass(ctx);
  const now = await serverNow(ctx.server);
  const res = await ctx.call("CreateRoom", {
    SdkAppId: k.sdkAppId,
    Name: "Chemistry",
    StartTime: now + 600,
    EndTime: now + 4200,
    Resolution: 1,
    MaxMicNumber: 6,
    SubType: "videodoc",
    ...over,
  });
  return res.RoomId;
}

export default cases([
  {
    action: "CreateRoom",
    name: "every option set",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await freshRoom(ctx, { ...roomOptions(k.teacher, k.assistant, k.groupId), RecordBackground: "https://school.example/bg.png" });
    },
    populated: ["RoomId"],
  },
  {
    action: "CreateRoom",
    name: "the official example: no mic seats, recording off",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await freshRoom(ctx, { Name: "classIDA", MaxMicNumber: 0, TeacherId: k.teacher, DisableRecord: 1 });
    },
    populated: ["RoomId"],
  },
  {
    action: "DescribeRoom",
    name: "a room with teacher, assistant, group",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeRoom", { RoomId: k.liveRoom });
    },
    populated: ["Name", "TeacherId", "Assistants[]", "GroupId", "Status"],
  },
  {
    action: "ModifyRoom",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const roomId = await freshRoom(ctx);
      await ctx.call("ModifyRoom", { RoomId: roomId, SdkAppId: k.sdkAppId, Name: "Chemistry II", TeacherId: k.teacher, MaxMicNumber: 4 });
    },
  },
  {
    action: "DeleteRoom",
    async run(ctx) {
      await ctx.call("DeleteRoom", { RoomId: await freshRoom(ctx) });
    },
  },
  {
    action: "StartRoom",
    async run(ctx) {
      await ctx.call("StartRoom", { RoomId: await freshRoom(ctx) });
    },
  },
  {
    action: "EndRoom",
    async run(ctx) {
      const roomId = await freshRoom(ctx);
      await ctx.call("StartRoom", { RoomId: roomId });
      await ctx.call("EndRoom", { RoomId: roomId });
    },
  },
  {
    action: "GetRooms",
    name: "live and ended rooms",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("GetRooms", { SdkAppId: k.sdkAppId, Page: 1, Limit: 100, Status: [0, 1, 2, 3] });
    },
    populated: ["Total", "Rooms[].RoomId", "Rooms[].Name"],
  },
]);
