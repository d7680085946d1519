// The "trro-record" task kind of the agent protocol: a cloud recorder's reports.
//
//   started  {}                    recording began: queued → running; callback 301
//   stopped  {reason?}             recording ended (asked by DeleteCloudRecording, or the
//                                  recorder stopped itself after MaxIdleTime without the
//                                  device: reason "idle"): → uploading; callback 302
//   uploaded {files: [...]}        every file is in the bucket: → done; callbacks 310 and 305
//   failed   {code, message}       the recording cannot go on: → done; callback 302 LeaveCode 1
//
// The task's spec (CreateCloudRecording's request, the bucket's keys included, since the
// recorder uploads with them) comes with the claim. A recorder that vanishes hands the task to
// another while attempts remain; when none remain the task is done (302 with LeaveCode 1).
import { Type } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import { finishTask, type AgentKind } from "../../agent/tasks.ts";
import { getTrroTask, RECORD_KIND, setTaskState } from "./task-store.ts";
import { RECORD_EVENTS, recordCallback } from "./task-callbacks.ts";

const conflict = (code: string, message: string) => new ApiError(code, { message, httpStatus: 409 });

const File = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 1024 }),
    startTime: Type.Optional(Type.Integer({ minimum: 0, description: "Unix ms of the file's first frame" })),
    endTime: Type.Optional(Type.Integer({ minimum: 0, description: "Unix ms of its last frame" })),
  },
  { additionalProperties: false },
);

export const recordKind: AgentKind = {
  kind: RECORD_KIND,
  product: "trro",
  reports: {
    started: Type.Object({}, { additionalProperties: false }),
    stopped: Type.Object(
      { reason: Type.Optional(Type.Union([Type.Literal("user"), Type.Literal("idle")])) },
      { additionalProperties: false },
    ),
    uploaded: Type.Object({ files: Type.Array(File, { maxItems: 1000 }) }, { additionalProperties: false }),
    failed: Type.Object(
      { code: Type.Union([Type.Integer(), Type.String({ maxLength: 64 })]), message: Type.String({ maxLength: 2000 }) },
      { additionalProperties: false },
    ),
  },
  async onReport(tx, agentTask, report, ctx) {
    const task = await getTrroTask(tx, agentTask.taskId, true);
    if (!task || task.state === "done") return;
    const at = report.time ?? ctx.clock.now();
    const e = { appId: task.app_id, taskId: task.task_id, userId: task.device_id ?? "", at };
    switch (report.type) {
      case "started":
        // A recorder that took the task over starts again: the first start stays the start.
        if (task.started_at !== null) return;
        await setTaskState(tx, task.task_id, task.state === "queued" ? "running" : task.state, { startedAt: at });
        await recordCallback(ctx, tx, e, RECORD_EVENTS.recorderStart, { Status: 0 });
        return;
      case "stopped":
        if (task.state === "uploading") return;
        await setTaskState(tx, task.task_id, "uploading", { stoppedAt: at });
        await recordCallback(ctx, tx, e, RECORD_EVENTS.recorderStop, { LeaveCode: 0 });
        return;
      case "uploaded": {
        if (task.state !== "uploading")
          throw conflict("StillRecording", "report `stopped` before `uploaded`: the recording has not stopped");
        const files = ((report.data?.files ?? []) as { fileName: string; startTime?: number; endTime?: number }[]).map((f) => ({
          FileName: f.fileName,
          UserId: task.device_id,
          TrackType: "audio_video",
          StartTimeStamp: f.startTime ?? task.started_at ?? at,
          EndTimeStamp: f.endTime ?? at,
        }));
        await setTaskState(tx, task.task_id, "done", { files });
        await finishTask(tx, task.app_id, task.task_id, ctx.clock.now());
        await recordCallback(ctx, tx, e, RECORD_EVENTS.mp4Stop, { Status: 0, FileList: files });
        await recordCallback(ctx, tx, e, RECORD_EVENTS.uploadStop, { Status: 0 });
        return;
      }
      case "failed":
        await setTaskState(tx, task.task_id, "done", { stoppedAt: at });
        await finishTask(tx, task.app_id, task.task_id, ctx.clock.now());
        await recordCallback(ctx, tx, e, RECORD_EVENTS.recorderStop, { LeaveCode: 1 });
        return;
    }
  },
  async onLeaseExpired(tx, agentTask, final, ctx) {
    if (!final) return;
    const task = await getTrroTask(tx, agentTask.taskId, true);
    if (!task || task.state === "done") return;
    const now = ctx.clock.now();
    await setTaskState(tx, task.task_id, "done", { stoppedAt: now });
    // A recorder lost after it stopped already said 302; it only never uploaded.
    if (task.state !== "uploading") {
      await recordCallback(
        ctx,
        tx,
        { appId: task.app_id, taskId: task.task_id, userId: task.device_id ?? "", at: now },
        RECORD_EVENTS.recorderStop,
        {
          LeaveCode: 1,
        },
      );
    }
  },
};
