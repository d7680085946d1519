// DeleteRecord: deletes the room's recorded files (mixed and single streams); they leave
// DescribeRecord, DescribeRecordStream and DescribePlaybackList. A recording still running
// is not stopped: its files, uploaded later, are kept. Deleting again succeeds.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { deleteFiles } from "./record-store.ts";

export const deleteRecord = defineAction({
  name: "DeleteRecord",
  request: Type.Object({ RoomId: Type.Integer(), SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const room = await ownRoom(ctx, req.RoomId, { appId: app.appId });
    await deleteFiles(ctx.db, app.appId, [room.roomId]);
    return {};
  },
});
