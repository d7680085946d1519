// StartPublishLiveStream: publishes device streams (mixed when WithTranscoding is 1) to up to
// ten live URLs, as a "trro-publish" task for a publisher on the agent protocol
// (publish-kind.ts); the answer is the TaskId at once.
// - Every picture's ProjectId must be a project of the caller (OperationDenied) and its
//   DeviceId a device of that project (InvalidParameterValue). The task belongs to the first
//   picture's project: its callbacks go to that project's ModifyCallbackUrl.
// - Without transcoding one stream is relayed as it is, so VideoList then holds exactly one.
// - A publishing URL is an rtmp(s) or http(s) URL.
// - Documented ranges: output 0..1920 x 0..1080, 1..60 fps, 1..10000 kbps, GOP 1..5 s;
//   MaxIdleTime 5..86400 s. IsTencentUrl is required by the SDK's model (its "defaults to 1"
//   cannot apply to a required field).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { createTask } from "../../agent/tasks.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { trroErrors } from "./errors.ts";
import { getDevice } from "./device-store.ts";
import { insertTask, newTaskId, PUBLISH_KIND } from "./task-store.ts";
import { TASK_ATTEMPTS, VideoStreamId } from "./create-cloud-recording.ts";

const Picture = Type.Object({
  ProjectId,
  DeviceId: Type.String({ minLength: 1, maxLength: 64 }),
  VideoStreamId,
  Width: Type.Integer({ minimum: 0, maximum: 1920 }),
  Height: Type.Integer({ minimum: 0, maximum: 1080 }),
});

export const startPublishLiveStream = defineAction({
  name: "StartPublishLiveStream",
  request: Type.Object({
    WithTranscoding: Type.Union([Type.Literal(0), Type.Literal(1)]),
    MaxIdleTime: Type.Integer({ minimum: 5, maximum: 86400 }),
    VideoParams: Type.Object({
      Width: Type.Integer({ minimum: 0, maximum: 1920 }),
      Height: Type.Integer({ minimum: 0, maximum: 1080 }),
      Fps: Type.Integer({ minimum: 1, maximum: 60 }),
      BitRate: Type.Integer({ minimum: 1, maximum: 10000 }),
      Gop: Type.Integer({ minimum: 1, maximum: 5 }),
      // No documented limit; 16 pictures bound one mix.
      VideoList: Type.Array(Picture, { minItems: 1, maxItems: 16 }),
    }),
    PublishParams: Type.Array(
      Type.Object({
        PublishUrl: Type.String({ minLength: 1, maxLength: 1024 }),
        IsTencentUrl: Type.Union([Type.Literal(0), Type.Literal(1)]),
      }),
      { minItems: 1, maxItems: 10 },
    ),
  }),
  async handler(req, ctx) {
    const list = req.VideoParams.VideoList;
    if (req.WithTranscoding === 0 && list.length !== 1) {
      throw trroErrors.invalidValue("VideoParams.VideoList", "without transcoding exactly one stream is relayed");
    }
    for (const p of req.PublishParams) {
      if (!isPublishUrl(p.PublishUrl)) throw trroErrors.invalidValue("PublishParams.PublishUrl", "an rtmp, rtmps, http or https URL");
    }
    const now = ctx.clock.now();
    let owner: string | undefined;
    for (const p of list) {
      const { app, row } = await ownProject(ctx, p.ProjectId);
      owner ??= app.appId;
      if (!(await getDevice(ctx.db, app.appId, p.DeviceId, now, row.presence_ms))) throw trroErrors.deviceNotFound(p.DeviceId);
    }
    const taskId = newTaskId();
    await ctx.db.transaction(async (tx) => {
      await insertTask(tx, { taskId, appId: owner!, kind: PUBLISH_KIND, now });
      await createTask(tx, { appId: owner!, taskId, kind: PUBLISH_KIND, spec: req, maxAttempts: TASK_ATTEMPTS, now });
    });
    return { TaskId: taskId };
  },
});

function isPublishUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return ["rtmp:", "rtmps:", "http:", "https:"].includes(u.protocol) && u.hostname !== "";
  } catch {
    return false;
  }
}
