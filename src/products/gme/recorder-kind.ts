// The "gme-record" task kind of the worker agent protocol: what a recorder reports.
//
//   stream.began  {userId}          a stream's recording began ("0": the mixed stream); the
//                                   report's time is RecordBeginTime
//   stream.status {userId, status}  a stream moved on: 10 waiting for transcode, 11
//                                   transcoding, 12 uploading, 13 uploaded, 14 user notified
//   task.finished {}                every file is handled; the task is over
//
// The recorder creates the RecordInfo entries (the server does not on the audio event):
// an entry means a file really began, so a task no recorder picked up honestly shows none.
// The recorder learns what to capture from the task view (recorder-routes.ts). A begin the
// task no longer wants (stopped, mode changed, user now on the deny list) is not recorded:
// the task's current settings win over a report that crossed a change. Status reports go
// forward only (a repeat is a no-op) and leave 2 only after the recording stopped.
//
// Nothing here names a media server: a LiveKit egress adapter reports the same things.
import { Type } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import { finishTask, type AgentKind, type AgentTask, type AgentReport } from "../../agent/tasks.ts";
import type { Queryable } from "../../storage/db.ts";
import type { Platform } from "../../platform.ts";
import { statusMove } from "./recording.ts";
import {
  advanceStream,
  allStreamsNotified,
  beginStream,
  countRecorderLoss,
  getTask,
  setTaskState,
  streamStatus,
} from "./store.ts";
import { RECORD_KIND } from "./task-lifecycle.ts";

const UserId = Type.String({ minLength: 1, maxLength: 127 });

const conflict = (code: string, message: string) => new ApiError(code, { message, httpStatus: 409 });

async function applyStatus(tx: Queryable, appId: string, taskId: number, userId: string, status: number, now: number): Promise<void> {
  if (await advanceStream(tx, appId, taskId, userId, status, now)) return;
  // Refused: say why (the whole batch is rolled back).
  const current = await streamStatus(tx, appId, taskId, userId);
  if (current === null) throw new ApiError("UnknownStream", { message: `no stream of user '${userId}' began in this task`, httpStatus: 400 });
  const task = await getTask(tx, appId, taskId);
  const move = statusMove(current, status, task?.state === "recording");
  if (move === "backwards") throw conflict("StatusBackwards", `stream '${userId}' is at ${current}; it cannot go back to ${status}`);
  throw conflict("StillRecording", `the task is still recording: stream '${userId}' stays at 2 until it stops`);
}

export const recorderKind: AgentKind = {
  kind: RECORD_KIND,
  product: "gme",
  reports: {
    "stream.began": Type.Object({ userId: UserId }, { additionalProperties: false }),
    "stream.status": Type.Object(
      { userId: UserId, status: Type.Integer({ minimum: 10, maximum: 14 }) },
      { additionalProperties: false },
    ),
    "task.finished": Type.Object({}, { additionalProperties: false }),
  },
  async onReport(tx: Queryable, task: AgentTask, report: AgentReport, platform: Platform) {
    const taskId = Number(task.taskId);
    const now = platform.clock.now();
    const data = report.data ?? {};
    switch (report.type) {
      case "stream.began":
        await beginStream(tx, task.appId, taskId, String(data.userId), report.time ?? now, now);
        return;
      case "stream.status":
        await applyStatus(tx, task.appId, taskId, String(data.userId), Number(data.status), now);
        return;
      case "task.finished": {
        const t = await getTask(tx, task.appId, taskId, true);
        if (t?.state === "recording") throw conflict("StillRecording", "the task is still recording; it finishes after it stopped");
        await setTaskState(tx, task.appId, taskId, ["stopped"], "done", null, now);
        await finishTask(tx, task.appId, task.taskId, now);
        return;
      }
    }
  },
  /**
   * A recorder vanished. While attempts remain the task waits for another recorder, which
   * continues it (entries already begun keep their begin time). When it is given up the
   * task is "lost": the room is free for a new StartRecord, and its streams keep the last
   * status a recorder reported (nobody will move them further) — except that a task whose
   * every stream had reached 14 only missed its finish report and is done.
   */
  async onLeaseExpired(tx, task, final, platform) {
    const taskId = Number(task.taskId);
    const now = platform.clock.now();
    await countRecorderLoss(tx, task.appId, taskId, now);
    if (!final) return;
    const t = await getTask(tx, task.appId, taskId, true);
    if (!t || (t.state !== "recording" && t.state !== "stopped")) return;
    const complete = t.state === "stopped" && (await allStreamsNotified(tx, task.appId, taskId));
    await setTaskState(tx, task.appId, taskId, ["recording", "stopped"], complete ? "done" : "lost", "recorder_lost", now);
  },
};
