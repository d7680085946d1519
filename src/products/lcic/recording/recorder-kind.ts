// The "lcic-record" task kind of the worker agent protocol: what a class recorder reports.
//
//   record.began   {}                      the recorder is capturing the class; the report's
//                                          time (default: now) is when the recording began
//   file.uploaded  {userId, role, startTime, stopTime, format, url, size, videoId}
//                                          a file is uploaded: the mixed recording (userId
//                                          "", DescribeRecord) or a member's stream (with
//                                          RecordStream 1, DescribeRecordStream); times in
//                                          Unix s, size in bytes. Only after the stop.
//   task.finished  {}                      every file is uploaded; the task is over, and the
//                                          RecordFinish callback goes out
//
// Nothing here names a media server: a real recorder (a headless browser on the class
// page, an SFU's egress) reports the same things; the simulator in recorder-simulator.ts
// pretends to.
import { Type } from "@sinclair/typebox";
import { ApiError } from "../../../errors/api-error.ts";
import { finishTask, type AgentKind, type AgentReport, type AgentTask } from "../../../agent/tasks.ts";
import { enqueueCallback } from "../../../callbacks/tencent-callback.ts";
import type { ProductContext } from "../../../product-context.ts";
import type { Queryable } from "../../../storage/db.ts";
import { filesOfTask, getTask, markBegan, setTaskState, upsertFile } from "./record-store.ts";
import { RECORD_KIND } from "./record-lifecycle.ts";

const conflict = (code: string, message: string) => new ApiError(code, { message, httpStatus: 409 });
const UnixS = Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 });

interface FileData {
  userId?: string;
  role?: string;
  startTime: number;
  stopTime: number;
  format: string;
  url: string;
  size: number;
  videoId: string;
}

export const recorderKind: AgentKind = {
  kind: RECORD_KIND,
  product: "lcic",
  reports: {
    "record.began": Type.Object({}, { additionalProperties: false }),
    "file.uploaded": Type.Object(
      {
        userId: Type.Optional(Type.String({ maxLength: 128, description: '"" (the default): the mixed recording' })),
        role: Type.Optional(
          Type.Union([Type.Literal("main"), Type.Literal("sub")], { description: "main: camera (default), sub: screen" }),
        ),
        startTime: UnixS,
        stopTime: UnixS,
        format: Type.String({ minLength: 1, maxLength: 16 }),
        url: Type.String({ minLength: 1, maxLength: 2048 }),
        size: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
        videoId: Type.String({ maxLength: 128 }),
      },
      { additionalProperties: false },
    ),
    "task.finished": Type.Object({}, { additionalProperties: false }),
  },
  async onReport(tx: Queryable, task: AgentTask, report: AgentReport, ctx: ProductContext) {
    const now = ctx.clock.now();
    const t = await getTask(tx, task.appId, task.taskId, true);
    if (!t) throw conflict("UnknownTask", `no LCIC recording task ${task.taskId}`);
    switch (report.type) {
      case "record.began":
        await markBegan(tx, t.appId, t.taskId, report.time ?? now);
        return;
      case "file.uploaded": {
        const d = report.data as unknown as FileData;
        if (t.state === "recording") throw conflict("StillRecording", "the task is still recording; files are uploaded after it stopped");
        if (d.stopTime < d.startTime) throw new ApiError("InvalidReport", { message: "stopTime is before startTime", httpStatus: 400 });
        const userId = d.userId ?? "";
        await upsertFile(tx, t.appId, {
          taskId: t.taskId,
          roomId: t.roomId,
          userId,
          // The mixed file has no role; a member's stream is "main" (camera) unless told.
          role: userId === "" ? "" : (d.role ?? "main"),
          startS: d.startTime,
          stopS: d.stopTime,
          fileFormat: d.format,
          recordUrl: d.url,
          recordSize: d.size,
          videoId: d.videoId,
        });
        return;
      }
      case "task.finished": {
        if (t.state === "recording") throw conflict("StillRecording", "the task is still recording; it finishes after it stopped");
        await setTaskState(tx, t.appId, t.taskId, ["stopped"], "done", now);
        await finishTask(tx, t.appId, t.taskId, now);
        const mixed = (await filesOfTask(tx, t.appId, t.taskId)).find((f) => f.userId === "");
        // RecordFinish carries the EventDataInfo fields of a recording (reference §8.1):
        // the mixed file's duration in s, size in bytes and URL. A task that uploaded no
        // mixed file recorded nothing to announce.
        if (mixed) {
          await enqueueCallback(ctx, tx, {
            appId: t.appId,
            product: "lcic",
            eventType: "RecordFinish",
            eventData: { RoomId: t.roomId, Duration: mixed.stopS - mixed.startS, RecordSize: mixed.recordSize, RecordUrl: mixed.recordUrl },
          });
        }
        return;
      }
    }
  },
  /**
   * A recorder vanished. While attempts remain the task waits for another recorder, which
   * continues it. When it is given up the task is "lost": the room may record again, and
   * the files already uploaded stay.
   */
  async onLeaseExpired(tx, task, final, ctx) {
    if (!final) return;
    await setTaskState(tx, task.appId, task.taskId, ["recording", "stopped"], "lost", ctx.clock.now(), "recorder_lost");
  },
};
