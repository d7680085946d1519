// DeletePlaybackItem: removes the class from DescribePlaybackList ("删除该堂课的录制记录");
// its files stay for DescribeRecord until DeleteRecord. Removing again succeeds.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { hidePlayback } from "./record-store.ts";

export const deletePlaybackItem = defineAction({
  name: "DeletePlaybackItem",
  request: Type.Object({ SdkAppId: Type.Integer(), RoomId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    await hidePlayback(ctx.db, app.appId, room.roomId);
    return {};
  },
});
