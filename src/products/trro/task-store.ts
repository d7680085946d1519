// SQL of the recording and publishing tasks (trro_tasks). The agent task (agent_tasks) is
// always locked first by the callers (src/agent/tasks.ts's lock order).
import { randomBytes } from "node:crypto";
import type { Queryable } from "../../storage/db.ts";

export const RECORD_KIND = "trro-record";
export const PUBLISH_KIND = "trro-publish";
export type TrroTaskKind = typeof RECORD_KIND | typeof PUBLISH_KIND;

/**
 * queued: no worker has started it; running: its worker reported the start; stopping: asked to
 * stop, its worker not yet confirmed; uploading: a recording stopped, its files on their way;
 * done: over for good.
 */
export type TaskState = "queued" | "running" | "stopping" | "uploading" | "done";

export interface TaskRow {
  task_id: string;
  app_id: string;
  kind: TrroTaskKind;
  device_id: string | null;
  video_stream_id: number | null;
  state: TaskState;
  created_at: number;
  started_at: number | null;
  stopped_at: number | null;
  files: unknown[];
}

// Opaque, URL-safe and long like the cloud's own ("-gCTFWtU7t7DUlo7A8Iswf..."): 80 characters.
export const newTaskId = (): string => randomBytes(60).toString("base64url");

/** Inserts a task; false when a live recording of the same device stream exists. */
export async function insertTask(
  q: Queryable,
  t: { taskId: string; appId: string; kind: TrroTaskKind; deviceId?: string; videoStreamId?: number; now: number },
): Promise<boolean> {
  const res = await q.query(
    `insert into trro_tasks (task_id, app_id, kind, device_id, video_stream_id, created_at) values ($1, $2, $3, $4, $5, $6)
     on conflict do nothing`,
    [t.taskId, t.appId, t.kind, t.deviceId ?? null, t.videoStreamId ?? null, t.now],
  );
  return res.rowCount > 0;
}

export async function getTrroTask(q: Queryable, taskId: string, forUpdate = false): Promise<TaskRow | null> {
  const res = await q.query<TaskRow>(`select * from trro_tasks where task_id = $1${forUpdate ? " for update" : ""}`, [taskId]);
  const r = res.rows[0];
  return r ? { ...r, created_at: Number(r.created_at), started_at: r.started_at === null ? null : Number(r.started_at) } : null;
}

export async function setTaskState(
  q: Queryable,
  taskId: string,
  state: TaskState,
  times: { startedAt?: number; stoppedAt?: number; files?: unknown[] } = {},
): Promise<void> {
  await q.query(
    `update trro_tasks set state = $2, started_at = coalesce(started_at, $3), stopped_at = coalesce(stopped_at, $4),
       files = coalesce($5::jsonb, files) where task_id = $1`,
    [taskId, state, times.startedAt ?? null, times.stoppedAt ?? null, times.files ? JSON.stringify(times.files) : null],
  );
}
