// CreateVideoGenerationTask: videos made from a finished recording in
// VIDEO_GENERATION_MODE, by a video generator through the agent protocol (kind
// "tiw-video-generation"). This request's Whiteboard / Concat / MixStream / RecordControl
// win over the recording's, as documented.
// Choices where the cloud is silent (its documented errors are the only codes used):
// - An OnlineRecordTaskId the app has no recording of: InvalidParameter.RecordParameter.
// - A recording not in VIDEO_GENERATION_MODE, not FINISHED yet, or that recorded nothing:
//   FailedOperation, with the reason (there is nothing to generate from).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { createTask } from "../../agent/tasks.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { getRecord, lockRecordSettings } from "./record-store.ts";
import { totalTimeOf } from "./record-task.ts";
import { insertVideoGeneration } from "./video-generation-store.ts";
import { TIW_VIDEO_GENERATION_KIND, type VideoGenerationSpec } from "./video-generation-agent-kind.ts";
import { Concat, MixStream, RecordControl, Whiteboard } from "./record-params.ts";
import { newTaskId } from "./push-task.ts";

export const createVideoGenerationTask = defineAction({
  name: "CreateVideoGenerationTask",
  request: Type.Object({
    OnlineRecordTaskId: Type.String({ maxLength: 128 }),
    SdkAppId: Type.Integer(),
    Whiteboard: Type.Optional(Whiteboard),
    Concat: Type.Optional(Concat),
    MixStream: Type.Optional(MixStream),
    RecordControl: Type.Optional(RecordControl),
    ExtraData: Type.Optional(Type.String()),
  }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "SdkAppIdNotFound");
    // As for the other starts: an internal parameter naming a feature roomledger lacks.
    if (req.ExtraData !== undefined && req.ExtraData !== "") throw tiwErrors.invalidExtra();
    const record = await getRecord(ctx.db, app.appId, req.OnlineRecordTaskId);
    if (!record) throw tiwErrors.recordParameter("OnlineRecordTaskId", "no online recording of this SdkAppId has this TaskId");
    if (record.recordMode !== "VIDEO_GENERATION_MODE") {
      throw tiwErrors.failedOperation(
        "The online recording was not made in VIDEO_GENERATION_MODE: there is nothing to generate videos from.",
        "该实时录制任务不是视频生成模式，无法生成视频。",
      );
    }
    if (record.status !== "FINISHED") {
      throw tiwErrors.failedOperation("The online recording has not finished yet.", "该实时录制任务尚未结束。");
    }
    if (record.recordStartTime === null || record.recordStopTime === null) {
      throw tiwErrors.failedOperation("The online recording recorded nothing.", "该实时录制任务没有录制内容。");
    }
    const params = record.params as Pick<VideoGenerationSpec, "Whiteboard" | "Concat" | "MixStream" | "RecordControl">;
    const concat = req.Concat ?? params.Concat;
    const spec: VideoGenerationSpec = {
      SdkAppId: Number(app.appId),
      OnlineRecordTaskId: record.taskId,
      RoomId: record.roomId,
      GroupId: record.groupId,
      ReplayUrl: record.replayUrl ?? "",
      RecordStartTime: record.recordStartTime,
      RecordStopTime: record.recordStopTime,
      TotalTime: totalTimeOf({ ...record, concatEnabled: concat.Enabled }, record.recordStopTime),
      Whiteboard: req.Whiteboard
        ? { Width: req.Whiteboard.Width ?? 1280, Height: req.Whiteboard.Height ?? 960, InitParam: req.Whiteboard.InitParam ?? "" }
        : params.Whiteboard,
      Concat: concat,
      MixStream: req.MixStream ?? params.MixStream,
      RecordControl: req.RecordControl ?? params.RecordControl,
    };
    const now = ctx.clock.now();
    const taskId = newTaskId();
    await ctx.db.transaction(async (tx) => {
      const settings = await lockRecordSettings(tx, app.appId);
      await insertVideoGeneration(tx, {
        appId: app.appId,
        taskId,
        recordTaskId: record.taskId,
        roomId: record.roomId,
        groupId: record.groupId,
        createdAt: now,
      });
      await createTask(tx, {
        appId: app.appId,
        taskId,
        kind: TIW_VIDEO_GENERATION_KIND,
        spec: { ...spec },
        maxAttempts: settings.maxAttempts,
        now,
      });
    });
    return { TaskId: taskId };
  },
});
