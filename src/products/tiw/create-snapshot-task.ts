// CreateSnapshotTask: a snapshot task (Running) offered to the snapshot workers through the
// agent protocol (kind "tiw-snapshot"). Its TaskID is a UUID, as in the cloud's example.
// Choices where the cloud is silent: a CallbackURL that is not http(s) is InvalidParameter
// (the action's documented parameter error); COS is handed to the worker as given (the
// images' storage is the worker's business); the defaults are the documented 1280 x 720.
import { randomUUID } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { createTask } from "../../agent/tasks.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { isHttpUrl } from "./callback-settings.ts";
import { lockRecordSettings } from "./record-store.ts";
import { insertSnapshot } from "./snapshot-store.ts";
import { TIW_SNAPSHOT_KIND } from "./snapshot-agent-kind.ts";

export const createSnapshotTask = defineAction({
  name: "CreateSnapshotTask",
  request: Type.Object({
    Whiteboard: Type.Object({
      Width: Type.Optional(Type.Integer({ minimum: 0, maximum: 2560 })),
      Height: Type.Optional(Type.Integer({ minimum: 0, maximum: 2560 })),
      InitParams: Type.Optional(Type.String()),
    }),
    SdkAppId: Type.Integer(),
    RoomId: Type.Integer({ minimum: 1, maximum: 4294967295 }),
    CallbackURL: Type.Optional(Type.String({ maxLength: 1024 })),
    COS: Type.Optional(
      Type.Object({
        Uin: Type.Integer({ minimum: 0 }),
        Region: Type.String({ minLength: 1, maxLength: 64 }),
        Bucket: Type.String({ minLength: 1, maxLength: 128 }),
        TargetDir: Type.Optional(Type.String({ maxLength: 1024 })),
        Domain: Type.Optional(Type.String({ maxLength: 256 })),
      }),
    ),
    SnapshotMode: Type.Optional(Type.Union([Type.Literal("AllMarks"), Type.Literal("LatestMarksOnly")])),
  }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const callbackUrl = req.CallbackURL ?? "";
    if (callbackUrl !== "" && !isHttpUrl(callbackUrl)) {
      throw tiwErrors.invalidParameter("CallbackURL must be an http:// or https:// URL.", "CallbackURL 仅支持 http 或 https 协议。");
    }
    const now = ctx.clock.now();
    const taskId = randomUUID();
    await ctx.db.transaction(async (tx) => {
      const settings = await lockRecordSettings(tx, app.appId);
      await insertSnapshot(tx, { appId: app.appId, taskId, roomId: req.RoomId, callbackUrl, createdAt: now });
      const spec = {
        SdkAppId: Number(app.appId),
        RoomId: req.RoomId,
        Whiteboard: {
          Width: req.Whiteboard.Width ?? 1280,
          Height: req.Whiteboard.Height ?? 720,
          InitParams: req.Whiteboard.InitParams ?? "",
        },
        SnapshotMode: req.SnapshotMode ?? "AllMarks",
        COS: req.COS ?? null,
      };
      await createTask(tx, { appId: app.appId, taskId, kind: TIW_SNAPSHOT_KIND, spec, maxAttempts: settings.maxAttempts, now });
    });
    return { TaskID: taskId };
  },
});
