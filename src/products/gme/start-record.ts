// StartRecord: starts server-side recording of a voice room; answers the TaskId.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { recordingApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger, recordModeOf, roomIdOf, SubscribeRecordUserIdsSchema, subscribeFilterOf } from "./params.ts";
import { recordingTaskOfRoom } from "./task-store.ts";
import { roomOccupied } from "./presence-store.ts";
import { startRecording } from "./task-lifecycle.ts";

export const startRecord = defineAction({
  name: "StartRecord",
  request: Type.Object({
    BizId: LooseInteger,
    RoomId: Type.String(),
    RecordMode: Type.Integer(),
    SubscribeRecordUserIds: Type.Optional(SubscribeRecordUserIdsSchema),
  }),
  async handler(req, ctx) {
    const { app } = await recordingApp(ctx, req.BizId);
    const roomId = roomIdOf(req.RoomId);
    const recordMode = recordModeOf(req.RecordMode);
    const filter = subscribeFilterOf(req.SubscribeRecordUserIds);
    const db = ctx.db;
    // A GME room exists while someone is in it (as the ingest events tell): recording an
    // empty room is ResourceNotFound.RoomNotFound, as in the cloud's error list.
    if (!(await roomOccupied(db, app.appId, roomId))) throw gmeErrors.roomNotFound();
    // Checked here for the common case; the unique index settles races (also TaskInUse).
    if (await recordingTaskOfRoom(db, app.appId, roomId)) throw gmeErrors.taskInUse();
    const taskId = await startRecording(ctx, { appId: app.appId, roomId, recordMode, filter });
    return { TaskId: taskId };
  },
});
