// LCIC rooms and entry, chat control, profiles (issue 20, first half): BatchCreateRoom,
// LoginUserWithRoom, LoginOriginId, LoginOriginIdWithRoom, ForbidSendMsg,
// DescribeRoomForbiddenUser, SendRoomNotificationMessage, DescribeUserDetail, ModifyUserProfile.
// The shared class's rooms are only read here; mutes and notifications go to fresh rooms.
import { serverNow } from "../../lcic/lcic-support.ts";
import { cases, type ParityContext } from "../case.ts";
import { lcicClass } from "./fixture.ts";

/** A fresh room of the shared school, scheduled from now on. */
async function freshRoom(ctx: ParityContext): Promise<number> {
  const k = await lcicClass(ctx);
  const now = await serverNow(ctx.server);
  const res = await ctx.call("CreateRoom", {
    SdkAppId: k.sdkAppId,
    Name: "Biology",
    StartTime: now + 600,
    EndTime: now + 4200,
    Resolution: 1,
    MaxMicNumber: 1,
    SubType: "video",
  });
  return res.RoomId;
}

export default cases([
  {
    action: "BatchCreateRoom",
    name: "the official example's room, twice",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const now = await serverNow(ctx.server);
      const info = (Name: string) => ({
        Name,
        StartTime: now + 600,
        EndTime: now + 2400,
        TeacherId: k.teacher,
        Resolution: 1,
        MaxMicNumber: 1,
        AutoMic: 1,
        TurnOffMic: 1,
        AudioQuality: 1,
        SubType: "video",
        DisableRecord: 1,
        Assistants: [k.assistant],
        AudienceType: 1,
        RecordLayout: 1,
        GroupId: k.groupId,
        EnableDirectControl: 1,
      });
      await ctx.call("BatchCreateRoom", { SdkAppId: k.sdkAppId, RoomInfos: [info("testRoom"), info("testRoom 2")] });
    },
    populated: ["RoomIds[]"],
  },
  {
    action: "LoginUserWithRoom",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("LoginUserWithRoom", { UserId: k.students[0], RoomId: k.liveRoom });
    },
    populated: ["UserId", "Token"],
  },
  {
    action: "LoginOriginId",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("LoginOriginId", { SdkAppId: k.sdkAppId, OriginId: "t-1" });
    },
    populated: ["UserId", "Token"],
  },
  {
    action: "LoginOriginIdWithRoom",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("LoginOriginIdWithRoom", { SdkAppId: k.sdkAppId, OriginId: "s-0", RoomId: k.liveRoom });
    },
    populated: ["UserId", "Token"],
  },
  {
    action: "ForbidSendMsg",
    name: "the official example: one member for 10 s",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const roomId = await freshRoom(ctx);
      await ctx.call("ForbidSendMsg", { SdkAppId: k.sdkAppId, RoomId: roomId, MembersAccount: [k.students[0]], MuteTime: 10 });
    },
  },
  {
    action: "DescribeRoomForbiddenUser",
    name: "a member muted for a while, another for good",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const roomId = await freshRoom(ctx);
      await ctx.call("ForbidSendMsg", { SdkAppId: k.sdkAppId, RoomId: roomId, MembersAccount: [k.students[0]], MuteTime: 600 });
      await ctx.call("ForbidSendMsg", { SdkAppId: k.sdkAppId, RoomId: roomId, MembersAccount: [k.students[1]], MuteTime: 4294967295 });
      await ctx.call("DescribeRoomForbiddenUser", { SdkAppId: k.sdkAppId, RoomId: roomId });
    },
    populated: ["MutedAccountList[].MemberAccount", "MutedAccountList[].MutedUntil"],
  },
  {
    action: "SendRoomNotificationMessage",
    name: "the official example",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const roomId = await freshRoom(ctx);
      await ctx.call("SendRoomNotificationMessage", { SdkAppId: k.sdkAppId, RoomId: roomId, MsgContent: "你好" });
    },
  },
  {
    action: "DescribeUserDetail",
    name: "the official example: UserId and OriginId both sent",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeUserDetail", { UserId: k.teacher, OriginId: "t-1" });
    },
    populated: ["Users[].SdkAppId", "Users[].UserId", "Users[].Name", "Users[].Avatar", "Users[].OriginId"],
  },
  {
    action: "DescribeUserDetail",
    name: "by OriginId",
    async run(ctx) {
      await lcicClass(ctx);
      await ctx.call("DescribeUserDetail", { OriginId: "s-1" });
    },
    populated: ["Users[].UserId", "Users[].OriginId"],
  },
  {
    action: "ModifyUserProfile",
    name: "the official example: a new nickname",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { UserId } = await ctx.call("RegisterUser", { SdkAppId: k.sdkAppId, Name: "Zhang" });
      await ctx.call("ModifyUserProfile", { UserId, Nickname: "zhangsan" });
    },
  },
]);
