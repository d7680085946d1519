// StartOnlineRecord: creates a recording (PREPARED) and offers it to the recorders through
// the agent protocol (kind "tiw-record"); its watchdog (auto and forced stops) is scheduled.
import { Type, type Static } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { createTask } from "../../agent/tasks.ts";
import { sqlState, UNIQUE_VIOLATION } from "../../storage/db.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { activeRecordUsage, insertRecord, lockRecordSettings } from "./record-store.ts";
import { TIW_RECORD_KIND } from "./record-transitions.ts";
import { scheduleWatchdog } from "./record-watchdog-job.ts";
import type { RecordTask } from "./record-task.ts";
import { newTaskId, trtcRoomOf } from "./push-task.ts";
import { Concat, MixStream, RecordControl, Whiteboard } from "./record-params.ts";

const UINT32 = { minimum: 1, maximum: 4294967295 };

const request = Type.Object({
  SdkAppId: Type.Integer(),
  RoomId: Type.Integer(UINT32),
  RecordUserId: Type.String({ minLength: 1, maxLength: 60 }),
  RecordUserSig: Type.String({ minLength: 1 }),
  GroupId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  Concat: Type.Optional(Concat),
  Whiteboard: Type.Optional(Whiteboard),
  MixStream: Type.Optional(MixStream),
  Extras: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 16 })),
  AudioFileNeeded: Type.Optional(Type.Boolean()),
  RecordControl: Type.Optional(RecordControl),
  RecordMode: Type.Optional(Type.Union([Type.Literal("REALTIME_MODE"), Type.Literal("VIDEO_GENERATION_MODE")])),
  ChatGroupId: Type.Optional(Type.String({ maxLength: 128 })),
  AutoStopTimeout: Type.Optional(Type.Integer({ minimum: 300, maximum: 86400 })),
  ExtraData: Type.Optional(Type.String()),
  TRTCRoomId: Type.Optional(Type.Integer(UINT32)),
  TRTCRoomIdStr: Type.Optional(Type.String({ maxLength: 64 })),
});
type Request = Static<typeof request>;

/** The advanced features Extras may name (the documented list has one). */
const EXTRAS = new Set(["MIX_STREAM"]);

/** Checks the documented rules between parameters (InvalidParameter.InvalidExtra / RecordParameter). */
function checkRules(req: Request): void {
  // ExtraData is "an internal parameter": as for the push, any non-empty value names a feature roomledger lacks.
  if (req.ExtraData !== undefined && req.ExtraData !== "") throw tiwErrors.invalidExtra();
  for (const e of req.Extras ?? []) if (!EXTRAS.has(e)) throw tiwErrors.invalidExtra();
  const mix = req.MixStream;
  if (mix?.Enabled) {
    if (!(req.Extras ?? []).includes("MIX_STREAM")) throw tiwErrors.recordParameter("MixStream", 'mixing needs "MIX_STREAM" in Extras');
    if (mix.Custom === undefined && mix.ModelId === undefined)
      throw tiwErrors.recordParameter("MixStream.ModelId", "required without Custom");
  }
}

/** What a recorder needs (the request, defaults applied). */
function recorderSpec(appId: string, req: Request) {
  return {
    SdkAppId: Number(appId),
    RoomId: req.RoomId,
    GroupId: req.GroupId ?? String(req.RoomId),
    RecordUserId: req.RecordUserId,
    RecordUserSig: req.RecordUserSig,
    TRTCRoom: trtcRoomOf(req),
    RecordMode: req.RecordMode ?? "REALTIME_MODE",
    ChatGroupId: req.ChatGroupId ?? "",
    AutoStopTimeout: req.AutoStopTimeout ?? 300,
    AudioFileNeeded: req.AudioFileNeeded ?? false,
    Extras: req.Extras ?? [],
    ...recordParams(req),
  };
}

/** The parameters a video generation task of this recording starts from (and may override). */
function recordParams(req: Request) {
  return {
    Whiteboard: { Width: req.Whiteboard?.Width ?? 1280, Height: req.Whiteboard?.Height ?? 960, InitParam: req.Whiteboard?.InitParam ?? "" },
    Concat: req.Concat ?? { Enabled: false },
    MixStream: req.MixStream ?? { Enabled: false },
    RecordControl: req.RecordControl ?? { Enabled: false },
  };
}

export const startOnlineRecord = defineAction({
  name: "StartOnlineRecord",
  request,
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "SdkAppIdNotFound");
    checkRules(req);
    const now = ctx.clock.now();
    const taskId = newTaskId();
    const task: RecordTask = {
      appId: app.appId,
      taskId,
      roomId: req.RoomId,
      groupId: req.GroupId ?? String(req.RoomId),
      recordUserId: req.RecordUserId,
      trtcRoom: trtcRoomOf(req),
      recordMode: req.RecordMode ?? "REALTIME_MODE",
      concatEnabled: req.Concat?.Enabled ?? false,
      autoStopTimeoutS: req.AutoStopTimeout ?? 300,
      params: recordParams(req),
      status: "PREPARED",
      stopReason: null,
      finishReason: null,
      recordStartTime: null,
      recordStopTime: null,
      pausedAt: null,
      omitted: [],
      totalTime: 0,
      exceptionCnt: 0,
      errorCode: null,
      errorMessage: null,
      interrupts: {},
      videoInfos: [],
      replayUrl: null,
      lastActivity: now,
      createdAt: now,
      finishedAt: null,
    };
    try {
      await ctx.db.transaction(async (tx) => {
        // The settings row lock serialises the app's starts: the limit and the user check hold.
        const settings = await lockRecordSettings(tx, app.appId);
        const usage = await activeRecordUsage(tx, app.appId, req.RecordUserId);
        if (usage.busy) throw tiwErrors.recordUserInUse(req.RecordUserId);
        if (usage.active + 1 > settings.maxConcurrentRecords) throw tiwErrors.taskConcurrency(settings.maxConcurrentRecords);
        await insertRecord(tx, task);
        await createTask(tx, {
          appId: app.appId,
          taskId,
          kind: TIW_RECORD_KIND,
          spec: recorderSpec(app.appId, req),
          maxAttempts: settings.maxAttempts,
          now,
        });
        await scheduleWatchdog(ctx, tx, task);
      });
    } catch (err) {
      // The partial unique index is the last guard on a record user (another instance's start).
      if (sqlState(err) === UNIQUE_VIOLATION) throw tiwErrors.recordUserInUse(req.RecordUserId);
      throw err;
    }
    return { TaskId: taskId };
  },
});
