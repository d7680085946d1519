// BatchDeleteRecord: DeleteRecord for up to 100 rooms of the app (more:
// InvalidParameter.ClassIDs). RoomIds answers the rooms whose files this call deleted; a
// room already deleted, without files or not the app's is left out, as documented
// ("如果入参列表中某个房间ID的录制文件已经删除，则出参列表中无对应的房间ID"). None:
// RoomIds null (the model allows it; the cloud's backend renders an empty list so).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { MAX_BATCH_ROOMS, recordErrors } from "./record-errors.ts";
import { deleteFiles } from "./record-store.ts";

export const batchDeleteRecord = defineAction({
  name: "BatchDeleteRecord",
  request: Type.Object({ RoomIds: Type.Array(Type.Integer()), SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    if (req.RoomIds.length > MAX_BATCH_ROOMS) throw recordErrors.tooManyRooms();
    const deleted = new Set(await deleteFiles(ctx.db, app.appId, req.RoomIds));
    const order = [...new Set(req.RoomIds)].filter((id) => deleted.has(id));
    return { RoomIds: order.length === 0 ? null : order };
  },
});
