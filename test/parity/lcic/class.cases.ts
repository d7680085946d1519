// LCIC in class and after it: DescribeCurrentMemberList, SendRoomNormalMessage,
// KickUserFromRoom, UnblockKickedUser, GetRoomEvent, GetRoomMessage, DescribeRoomStatistics.
import { cases } from "../case.ts";
import { lcicClass } from "./fixture.ts";

export default cases([
  {
    action: "DescribeCurrentMemberList",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeCurrentMemberList", { RoomId: k.liveRoom, Page: 1, Limit: 100 });
    },
    populated: ["Total", "MemberRecords[].UserId", "MemberRecords[].IPAddress", "MemberRecords[].Location"],
  },
  {
    action: "SendRoomNormalMessage",
    name: "text and custom elements, nickname, custom data",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("SendRoomNormalMessage", {
        SdkAppId: k.sdkAppId,
        RoomId: k.liveRoom,
        FromAccount: k.teacher,
        MsgBody: [
          { MsgType: "TIMTextElem", TextMsgContent: { Text: "Homework: page 43" } },
          { MsgType: "TIMCustomElem", CustomMsgContent: { Data: "quiz-1", Desc: "quiz", Ext: "{}" } },
        ],
        NickName: "Ms Teacher",
        CloudCustomData: '{"k":1}',
      });
    },
  },
  {
    action: "SendRoomNormalMessage",
    name: "the official example: one element with text, face and image contents",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("SendRoomNormalMessage", {
        SdkAppId: k.sdkAppId,
        RoomId: k.liveRoom,
        FromAccount: k.teacher,
        MsgBody: [
          {
            MsgType: "TIMTextElem",
            TextMsgContent: { Text: "hello" },
            FaceMsgContent: { Index: 1, Data: "haha" },
            ImageMsgContent: {
              UUID: "494d1feab",
              ImageFormat: 1,
              ImageInfoList: [{ Type: 1, Size: 12033, Width: 2048, Height: 800, URL: "https://school.example/room_messages.png" }],
            },
          },
        ],
        CloudCustomData: "abcsd",
      });
    },
  },
  {
    action: "KickUserFromRoom",
    async run(ctx) {
      const k = await lcicClass(ctx);
      // The official example's shape: kicked for good.
      await ctx.call("KickUserFromRoom", { RoomId: k.liveRoom, SdkAppId: k.sdkAppId, UserId: k.students[1], KickType: 2, Duration: 0 });
    },
  },
  {
    action: "UnblockKickedUser",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("KickUserFromRoom", { RoomId: k.liveRoom, SdkAppId: k.sdkAppId, UserId: k.students[0], KickType: 1, Duration: 30 });
      await ctx.call("UnblockKickedUser", { SdkAppId: k.sdkAppId, RoomId: k.liveRoom, UserId: k.students[0] });
    },
  },
  {
    action: "GetRoomEvent",
    name: "an ended room: starts, entries, exits, end",
    // As the cloud's own example: an event's EventData carries RoomId and only the keys of its
    // type (output_required false in the cloud's spec); the d.ts cannot say so.
    absent: ["UserId", "Device", "Duration", "RecordSize", "RecordUrl", "Reason", "Role"].map((k) => `Events[].EventData.${k}`),
    async run(ctx) {
      const k = await lcicClass(ctx);
      // The official example's request shape (Keyword "" lists every kind).
      await ctx.call("GetRoomEvent", { RoomId: k.endedRoom, SdkAppId: k.sdkAppId, Page: 1, Limit: 10, Keyword: "" });
    },
    populated: ["Total", "Events[].Timestamp", "Events[].EventType", "Events[].EventData"],
  },
  {
    action: "GetRoomMessage",
    name: "text, custom and image messages",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("GetRoomMessage", { SdkAppId: k.sdkAppId, RoomId: k.endedRoom, Limit: 100 });
    },
    populated: ["Messages[].FromAccount", "Messages[].MessageBody[]"],
  },
  {
    action: "GetRoomMessage",
    name: "the official example's request: Seq 0, Limit 1",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("GetRoomMessage", { SdkAppId: k.sdkAppId, RoomId: k.endedRoom, Seq: 0, Limit: 1 });
    },
    populated: ["Messages[].Timestamp", "Messages[].FromAccount", "Messages[].Seq", "Messages[].MessageBody[]"],
  },
  {
    action: "DescribeRoomStatistics",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeRoomStatistics", { RoomId: k.endedRoom, Page: 1, Limit: 100 });
    },
    populated: ["Total", "MemberRecords[].UserId", "MemberRecords[].UserName", "RealStartTime", "RealEndTime"],
  },
]);
