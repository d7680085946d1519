// CreateCloudRecording: records one video stream of a device into the caller's bucket, as a
// "trro-record" task for a recorder on the agent protocol (record-kind.ts); the answer is the
// TaskId at once, as the cloud's. Documented defaults are filled into the task's spec
// (OutputFormat 3 = mp4, MaxMediaFileDuration 1440 min, MaxIdleTime 30 s).
// - The device must be a device of the project (InvalidParameterValue otherwise).
// - One live recording per device stream: a second one while the first is not over is
//   refused with FailedOperation (the cloud documents no finer code).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { createTask } from "../../agent/tasks.ts";
import { ApiError } from "../../errors/api-error.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { trroErrors } from "./errors.ts";
import { getDevice } from "./device-store.ts";
import { insertTask, newTaskId, RECORD_KIND } from "./task-store.ts";

/** Attempts per task: a recorder lost twice is retried once more, then the task is over. */
export const TASK_ATTEMPTS = 3;

export const VideoStreamId = Type.Integer({ minimum: 0, maximum: 63 });
const Secret = Type.String({ minLength: 1, maxLength: 256 });

export const createCloudRecording = defineAction({
  name: "CreateCloudRecording",
  request: Type.Object({
    ProjectId,
    DeviceId: Type.String({ minLength: 1, maxLength: 64 }),
    VideoStreamId,
    CloudStorage: Type.Object({
      Vendor: Type.Union([Type.Literal(0), Type.Literal(1)]),
      Region: Type.String({ minLength: 1, maxLength: 64 }),
      Bucket: Type.String({ minLength: 1, maxLength: 256 }),
      AccessKey: Secret,
      SecretKey: Secret,
      // "a-z, A-Z, 0-9, '_' and '-'"; ten levels bound the object key's length.
      FileNamePrefix: Type.Optional(Type.Array(Type.String({ pattern: "^[A-Za-z0-9_-]{1,64}$" }), { maxItems: 10 })),
    }),
    MaxMediaFileDuration: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
    OutputFormat: Type.Optional(Type.Integer({ minimum: 0, maximum: 4 })),
    MaxIdleTime: Type.Optional(Type.Integer({ minimum: 5, maximum: 86400 })),
  }),
  async handler(req, ctx) {
    const { app, row } = await ownProject(ctx, req.ProjectId);
    const now = ctx.clock.now();
    if (!(await getDevice(ctx.db, app.appId, req.DeviceId, now, row.presence_ms))) throw trroErrors.deviceNotFound(req.DeviceId);
    const taskId = newTaskId();
    const spec = {
      ...req,
      CloudStorage: { ...req.CloudStorage, FileNamePrefix: req.CloudStorage.FileNamePrefix ?? [] },
      MaxMediaFileDuration: req.MaxMediaFileDuration ?? 1440,
      OutputFormat: req.OutputFormat ?? 3,
      MaxIdleTime: req.MaxIdleTime ?? 30,
    };
    await ctx.db.transaction(async (tx) => {
      const ok = await insertTask(tx, {
        taskId,
        appId: app.appId,
        kind: RECORD_KIND,
        deviceId: req.DeviceId,
        videoStreamId: req.VideoStreamId,
        now,
      });
      if (!ok) {
        throw new ApiError("FailedOperation", {
          message: `Stream ${req.VideoStreamId} of device \`${req.DeviceId}\` is already being recorded.`,
          messageZh: `设备 \`${req.DeviceId}\` 的视频流 ${req.VideoStreamId} 正在录制中。`,
        });
      }
      await createTask(tx, { appId: app.appId, taskId, kind: RECORD_KIND, spec, maxAttempts: TASK_ATTEMPTS, now });
    });
    return { TaskId: taskId };
  },
});
