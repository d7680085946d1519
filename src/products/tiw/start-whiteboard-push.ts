// StartWhiteboardPush: creates a push task (PREPARED) and offers it to the workers through
// the agent protocol; a backup task (Backup) is a second task of its own in the same room.
import { Type, type Static } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { createTask } from "../../agent/tasks.ts";
import { sqlState, UNIQUE_VIOLATION } from "../../storage/db.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { activeUsage, insertPush, lockSettings } from "./push-store.ts";
import { TIW_PUSH_KIND } from "./push-transitions.ts";
import { newTaskId, trtcRoomOf } from "./push-task.ts";
import { AUTO_STOP_JOB } from "./auto-stop-job.ts";

const UINT32 = { minimum: 1, maximum: 4294967295 };
const AuthParam = Type.Object({
  SdkAppId: Type.Integer({ minimum: 1 }),
  UserId: Type.String({ minLength: 1, maxLength: 60 }),
  UserSig: Type.String({ minLength: 1 }),
});

const request = Type.Object({
  SdkAppId: Type.Integer(),
  RoomId: Type.Integer(UINT32),
  PushUserId: Type.String({ minLength: 1, maxLength: 60 }),
  PushUserSig: Type.String({ minLength: 1 }),
  Whiteboard: Type.Optional(
    Type.Object({
      Width: Type.Optional(Type.Integer({ minimum: 2 })),
      Height: Type.Optional(Type.Integer({ minimum: 2 })),
      InitParam: Type.Optional(Type.String()),
    }),
  ),
  AutoStopTimeout: Type.Optional(Type.Integer({ minimum: 300, maximum: 259200 })),
  AutoManageBackup: Type.Optional(Type.Boolean()),
  Backup: Type.Optional(
    Type.Object({ PushUserId: Type.String({ minLength: 1, maxLength: 60 }), PushUserSig: Type.String({ minLength: 1 }) }),
  ),
  PrivateMapKey: Type.Optional(Type.String()),
  VideoFPS: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
  VideoBitrate: Type.Optional(Type.Integer({ minimum: 0, maximum: 2000 })),
  AutoRecord: Type.Optional(Type.Boolean()),
  // Format checked below: a bad record/stream id is InvalidParameter.RecordParameter.
  UserDefinedRecordId: Type.Optional(Type.String()),
  AutoPublish: Type.Optional(Type.Boolean()),
  UserDefinedStreamId: Type.Optional(Type.String()),
  ExtraData: Type.Optional(Type.String()),
  TRTCRoomId: Type.Optional(Type.Integer(UINT32)),
  TRTCRoomIdStr: Type.Optional(Type.String({ maxLength: 64 })),
  IMAuthParam: Type.Optional(AuthParam),
  TRTCAuthParam: Type.Optional(AuthParam),
  TRTCEnterRoomMode: Type.Optional(Type.Union([Type.Literal("TRTCAppSceneVideoCall"), Type.Literal("TRTCAppSceneLIVE")])),
  GroupId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});
type Request = Static<typeof request>;

const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What a worker needs to do the push (the request, defaults applied). */
function workerSpec(appId: string, req: Request, role: "main" | "backup", pushUserId: string, pushUserSig: string) {
  return {
    SdkAppId: Number(appId),
    Role: role,
    RoomId: req.RoomId,
    GroupId: req.GroupId ?? String(req.RoomId),
    PushUserId: pushUserId,
    PushUserSig: pushUserSig,
    TRTCRoom: trtcRoomOf(req),
    TRTCEnterRoomMode: req.TRTCEnterRoomMode ?? "TRTCAppSceneVideoCall",
    Whiteboard: { Width: req.Whiteboard?.Width ?? 1280, Height: req.Whiteboard?.Height ?? 960, InitParam: req.Whiteboard?.InitParam ?? "" },
    AutoStopTimeout: req.AutoStopTimeout ?? 1800,
    VideoFPS: req.VideoFPS ?? 20,
    VideoBitrate: req.VideoBitrate ?? 1200,
    AutoRecord: req.AutoRecord ?? false,
    UserDefinedRecordId: req.UserDefinedRecordId ?? "",
    AutoPublish: req.AutoPublish ?? false,
    UserDefinedStreamId: req.UserDefinedStreamId ?? "",
    PrivateMapKey: req.PrivateMapKey ?? "",
    IMAuthParam: req.IMAuthParam ?? null,
    TRTCAuthParam: req.TRTCAuthParam ?? null,
  };
}

export const startWhiteboardPush = defineAction({
  name: "StartWhiteboardPush",
  request,
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "SdkAppIdNotFound");
    for (const name of ["UserDefinedRecordId", "UserDefinedStreamId"] as const) {
      const v = req[name];
      if (v !== undefined && v !== "" && !RECORD_ID.test(v)) throw tiwErrors.recordParameter(name, "at most 64 of A-Z, a-z, 0-9, _ and -");
    }
    // ExtraData is "an internal parameter": it names extra features of the cloud's service,
    // none of which roomledger has, so any non-empty value names one that does not exist.
    if (req.ExtraData !== undefined && req.ExtraData !== "") throw tiwErrors.invalidExtra();
    if (req.Backup && req.Backup.PushUserId === req.PushUserId) throw tiwErrors.recordUserInUse(req.Backup.PushUserId);

    const now = ctx.clock.now();
    const timeoutS = req.AutoStopTimeout ?? 1800;
    const mainId = newTaskId();
    const backupId = req.Backup ? newTaskId() : null;
    const users = req.Backup ? [req.PushUserId, req.Backup.PushUserId] : [req.PushUserId];
    try {
      await ctx.db.transaction(async (tx) => {
        // The settings row lock serialises the app's starts: the limit and the user check hold.
        const settings = await lockSettings(tx, app.appId);
        const usage = await activeUsage(tx, app.appId, users);
        if (usage.busyUser !== null) throw tiwErrors.recordUserInUse(usage.busyUser);
        if (usage.active + users.length > settings.maxConcurrentPushes) throw tiwErrors.taskConcurrency(settings.maxConcurrentPushes);
        const common = {
          appId: app.appId,
          roomId: req.RoomId,
          groupId: req.GroupId ?? String(req.RoomId),
          trtcRoom: trtcRoomOf(req),
          autoStopTimeoutS: timeoutS,
          createdAt: now,
        };
        await insertPush(tx, {
          ...common,
          taskId: mainId,
          pushUserId: req.PushUserId,
          backupOf: null,
          backupTaskId: backupId,
          autoManageBackup: req.AutoManageBackup ?? false,
        });
        await createTask(tx, {
          appId: app.appId,
          taskId: mainId,
          kind: TIW_PUSH_KIND,
          spec: workerSpec(app.appId, req, "main", req.PushUserId, req.PushUserSig),
          maxAttempts: settings.maxAttempts,
          now,
        });
        await ctx.jobs.enqueue(AUTO_STOP_JOB, { appId: app.appId, taskId: mainId }, { runAt: now + timeoutS * 1000, tx });
        if (req.Backup && backupId) {
          await insertPush(tx, {
            ...common,
            taskId: backupId,
            pushUserId: req.Backup.PushUserId,
            backupOf: mainId,
            backupTaskId: null,
            autoManageBackup: false,
          });
          await createTask(tx, {
            appId: app.appId,
            taskId: backupId,
            kind: TIW_PUSH_KIND,
            spec: workerSpec(app.appId, req, "backup", req.Backup.PushUserId, req.Backup.PushUserSig),
            maxAttempts: settings.maxAttempts,
            now,
          });
          await ctx.jobs.enqueue(AUTO_STOP_JOB, { appId: app.appId, taskId: backupId }, { runAt: now + timeoutS * 1000, tx });
        }
      });
    } catch (err) {
      // The partial unique index is the last guard on a push user (another instance's start).
      if (sqlState(err) === UNIQUE_VIOLATION) throw tiwErrors.recordUserInUse(req.PushUserId);
      throw err;
    }
    // The backup task's result: its TaskId (the cloud documents the field only as "备份任务结果参数").
    return { TaskId: mainId, Backup: backupId ? JSON.stringify({ TaskId: backupId }) : "" };
  },
});
