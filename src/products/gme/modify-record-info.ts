// ModifyRecordInfo: changes the mode and the allow/deny list of a recording task. Streams
// already begun keep their entries; the recorder learns the new wishes from the task view.
//
// RecordMode is required, the list optional: an absent SubscribeRecordUserIds keeps the
// current list (the request changes what it carries); `{}` or empty arrays record everyone.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { recordingApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger, recordModeOf, SubscribeRecordUserIdsSchema, subscribeFilterOf, taskIdOf } from "./params.ts";
import { getTask, updateTaskConfig } from "./task-store.ts";

export const modifyRecordInfo = defineAction({
  name: "ModifyRecordInfo",
  request: Type.Object({
    TaskId: LooseInteger,
    RecordMode: Type.Integer(),
    BizId: LooseInteger,
    SubscribeRecordUserIds: Type.Optional(SubscribeRecordUserIdsSchema),
  }),
  async handler(req, ctx) {
    const { app } = await recordingApp(ctx, req.BizId);
    const taskId = taskIdOf(req.TaskId);
    const recordMode = recordModeOf(req.RecordMode);
    const given = req.SubscribeRecordUserIds === undefined ? null : subscribeFilterOf(req.SubscribeRecordUserIds);
    const db = ctx.db;
    const task = await getTask(db, app.appId, taskId);
    if (task?.state !== "recording") throw gmeErrors.taskNotFound();
    const changed = await updateTaskConfig(db, app.appId, taskId, recordMode, given ?? task.filter, ctx.clock.now());
    if (!changed) throw gmeErrors.taskNotFound();
    return {};
  },
});
