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
import { finishTask, type AgentKind, type AgentTask, type AgentReport, type TaskReports } from "../../agent/tasks.ts";
import type { Queryable } from "../../storage/db.ts";
import type { ProductContext } from "../../product-context.ts";
import { statusMove } from "./recording.ts";
import { advanceStream, advanceStreamsIfAll, allStreamsNotified, beginStream, streamStatus, type StreamMoves } from "./stream-store.ts";
import { countRecorderLoss, getTask, setTaskState } from "./task-store.ts";
import { RECORD_KIND } from "./task-lifecycle.ts";

const UserId = Type.String({ minLength: 1, maxLength: 127 });

const conflict = (code: string, message: string) => new ApiError(code, { message, httpStatus: 409 });

async function applyStatus(tx: Queryable, appId: string, taskId: number, userId: string, status: number, now: number): Promise<void> {
  if (await advanceStream(tx, appId, taskId, userId, status, now)) return;
  // Refused: say why (the whole batch is rolled back).
  const current = await streamStatus(tx, appId, taskId, userId);
  if (current === null)
    throw new ApiError("UnknownStream", { message: `no stream of user '${userId}' began in this task`, httpStatus: 400 });
  const task = await getTask(tx, appId, taskId);
  const move = statusMove(current, status, task?.state === "recording");
  if (move === "backwards") throw conflict("StatusBackwards", `stream '${userId}' is at ${current}; it cannot go back to ${status}`);
  throw conflict("StillRecording", `the task is still recording: stream '${userId}' stays at 2 until it stops`);
}

/**
 * A batch of status reports only, as set-based moves: each stream once, with its first and
 * last requested status. One by one, a stream's reports r1..rk from status s pass iff
 * s <= r1 <= ... <= rk and, while the task records, s = r1 = ... = rk (repeats); nothing but
 * these reports changes the task or its streams meanwhile. So the batch is equivalent to one
 * guarded move per stream from r1's guard to rk — when each stream's reports never go down,
 * which is checked here (null otherwise: the one-by-one path then refuses as it always did).
 */
function statusMoves(batch: readonly TaskReports[]): StreamMoves | null {
  const m: StreamMoves = { taskIds: [], userIds: [], firsts: [], lasts: [] };
  for (const { task, reports } of batch) {
    const at = new Map<string, number>();
    for (const r of reports) {
      if (r.type !== "stream.status") return null;
      const userId = String(r.data?.userId);
      const status = Number(r.data?.status);
      const i = at.get(userId);
      if (i === undefined) {
        at.set(userId, m.taskIds.length);
        m.taskIds.push(Number(task.taskId));
        m.userIds.push(userId);
        m.firsts.push(status);
        m.lasts.push(status);
      } else if (status < m.lasts[i]!) return null;
      else m.lasts[i] = status;
    }
  }
  return m;
}

export const recorderKind: AgentKind = {
  kind: RECORD_KIND,
  product: "gme",
  reports: {
    "stream.began": Type.Object({ userId: UserId }, { additionalProperties: false }),
    "stream.status": Type.Object({ userId: UserId, status: Type.Integer({ minimum: 10, maximum: 14 }) }, { additionalProperties: false }),
    "task.finished": Type.Object({}, { additionalProperties: false }),
  },
  async onReport(tx: Queryable, task: AgentTask, report: AgentReport, ctx: ProductContext) {
    const taskId = Number(task.taskId);
    const now = ctx.clock.now();
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
   * Many tasks' reports (POST /agent/v1/reports). Status reports only — what a recorder
   * sends for the streams it transcodes and uploads — are one set-based UPDATE when every
   * one of them passes; anything else (other report types, a refusal) takes the one-by-one
   * path, which applies or refuses exactly as the single-task route does.
   */
  async onReports(tx, batch, ctx) {
    const moves = statusMoves(batch);
    if (moves && (await advanceStreamsIfAll(tx, batch[0]!.task.appId, moves, ctx.clock.now()))) return;
    for (const { task, reports } of batch) for (const r of reports) await recorderKind.onReport(tx, task, r, ctx);
  },
  /**
   * A recorder vanished. While attempts remain the task waits for another recorder, which
   * continues it (entries already begun keep their begin time). When it is given up the
   * task is "lost": the room is free for a new StartRecord, and its streams keep the last
   * status a recorder reported (nobody will move them further) — except that a task whose
   * every stream had reached 14 only missed its finish report and is done.
   */
  async onLeaseExpired(tx, task, final, ctx) {
    const taskId = Number(task.taskId);
    const now = ctx.clock.now();
    await countRecorderLoss(tx, task.appId, taskId, now);
    if (!final) return;
    const t = await getTask(tx, task.appId, taskId, true);
    if (!t || (t.state !== "recording" && t.state !== "stopped")) return;
    const complete = t.state === "stopped" && (await allStreamsNotified(tx, task.appId, taskId));
    await setTaskState(tx, task.appId, taskId, ["recording", "stopped"], complete ? "done" : "lost", "recorder_lost", now);
  },
};
