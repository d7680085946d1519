// DescribeRoom: the room's configuration and Status (0 not started, 1 started, 2 ended,
// 3 expired). roomledger records no media: RecordUrl and RTMPStreamingURL are "" and
// VideoDuration 0.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { ownRoom } from "./rooms-store.ts";

export const describeRoom = defineAction({
  name: "DescribeRoom",
  request: Type.Object({ RoomId: Type.Integer(), RTMPStreamingURL: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })) }),
  async handler(req, ctx) {
    const room = await ownRoom(ctx, req.RoomId);
    const { TurnOffMic: _t, RTCAudienceNumber: _r, ...config } = room.config;
    return {
      ...config,
      SdkAppId: Number(room.appId),
      Status: room.status,
      RecordUrl: "",
      VideoDuration: 0,
      RTMPStreamingURL: "",
    };
  },
});
