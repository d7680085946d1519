// Starting and stopping a class recording: the LCIC task row and its agent task (kind
// "lcic-record") change together, inside the caller's transaction. Lock order
// (src/agent/tasks.ts): the agent task first, then the LCIC row.
//
// Which rooms record (CreateRoom's DisableRecord): 0 (the default) records automatically
// from the class's start to its end; 2 records only between StartRecord and StopRecord; 1
// never records; 3 is signalling recording (the class is replayed from its signalling, no
// video task: DescribePlaybackList lists it once the class ended). StartRecord and
// StopRecord work for 0 and 2 (with 0, StopRecord pauses the automatic recording until the
// next StartRecord). The class's end stops whatever records.
import { randomUUID } from "node:crypto";
import type { ProductContext } from "../../../product-context.ts";
import type { Queryable } from "../../../storage/db.ts";
import { createTask, requestStop } from "../../../agent/tasks.ts";
import type { Room } from "../rooms/rooms-store.ts";
import { insertTask, recordingTaskOf, setTaskState } from "./record-store.ts";

export const RECORD_KIND = "lcic-record";
/** Claims of one task before a vanished recorder's task is given up (lost). */
export const RECORDER_ATTEMPTS = 3;

export const DisableRecord = { Auto: 0, Off: 1, Manual: 2, Signalling: 3 } as const;

/** What a recorder gets when it claims a task; the rest is in the task view. */
export interface RecordTaskSpec {
  sdkAppId: number;
  roomId: number;
  taskId: string;
  recordLayout: number;
  recordStream: number;
}

/**
 * Starts recording the room; a room that already records keeps its task, whose id is
 * returned (StartRecord called twice gives the same TaskId).
 */
export async function startRecording(ctx: ProductContext, tx: Queryable, room: Room, origin: "class" | "api"): Promise<string> {
  const running = await recordingTaskOf(tx, room.appId, room.roomId);
  if (running) return running.taskId;
  const now = ctx.clock.now();
  // The cloud's TaskIds are UUID-shaped strings.
  const taskId = randomUUID();
  const spec: RecordTaskSpec = {
    sdkAppId: Number(room.appId),
    roomId: room.roomId,
    taskId,
    recordLayout: room.config.RecordLayout,
    recordStream: room.config.RecordStream,
  };
  await createTask(tx, { appId: room.appId, taskId, kind: RECORD_KIND, spec: { ...spec }, maxAttempts: RECORDER_ATTEMPTS, now });
  await insertTask(tx, {
    appId: room.appId,
    taskId,
    roomId: room.roomId,
    origin,
    recordLayout: room.config.RecordLayout,
    recordStream: room.config.RecordStream,
    now,
  });
  return taskId;
}

/**
 * Stops a recording task. A recorder holding it learns it on its next heartbeat and goes
 * on uploading (state "stopped"); a task no recorder ever held is over at once ("done",
 * with no files). Returns false when the task was not recording.
 */
export async function stopRecording(ctx: ProductContext, tx: Queryable, appId: string, taskId: string, reason: string): Promise<boolean> {
  const now = ctx.clock.now();
  const agent = await requestStop(tx, appId, taskId, now);
  return setTaskState(tx, appId, taskId, ["recording"], agent === "requested" ? "stopped" : "done", now, reason);
}

/** The class started (StartRoom, the teacher's entry, auto start): record if configured so. */
export async function onClassStarted(ctx: ProductContext, tx: Queryable, room: Room): Promise<void> {
  if (room.config.DisableRecord === DisableRecord.Auto) await startRecording(ctx, tx, room, "class");
}

/** The class ended: whatever records in the room stops. */
export async function onClassEnded(ctx: ProductContext, tx: Queryable, room: Room): Promise<void> {
  const running = await recordingTaskOf(tx, room.appId, room.roomId);
  if (running) await stopRecording(ctx, tx, room.appId, running.taskId, "class_ended");
}
