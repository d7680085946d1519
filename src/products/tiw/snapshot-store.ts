// SQL of the snapshot tasks (tiw_snapshot_tasks). Lock order as for the other task kinds:
// the agent task first, then lockSnapshot.
import type { Queryable } from "../../storage/db.ts";
import type { SnapshotTask } from "./snapshot-task.ts";

interface Row {
  app_id: string;
  task_id: string;
  room_id: number;
  callback_url: string;
  status: SnapshotTask["status"];
  snapshots: string[];
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  finished_at: number | null;
}

const toTask = (r: Row): SnapshotTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  roomId: Number(r.room_id),
  callbackUrl: r.callback_url,
  status: r.status,
  snapshots: r.snapshots,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  createdAt: Number(r.created_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

export async function insertSnapshot(tx: Queryable, t: Pick<SnapshotTask, "appId" | "taskId" | "roomId" | "callbackUrl" | "createdAt">) {
  await tx.query("insert into tiw_snapshot_tasks (app_id, task_id, room_id, callback_url, created_at) values ($1, $2, $3, $4, $5)", [
    t.appId,
    t.taskId,
    t.roomId,
    t.callbackUrl,
    t.createdAt,
  ]);
}

export async function getSnapshot(q: Queryable, appId: string, taskId: string): Promise<SnapshotTask | null> {
  const rows = await q.query<Row>("select * from tiw_snapshot_tasks where app_id = $1 and task_id = $2", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

export async function lockSnapshot(tx: Queryable, appId: string, taskId: string): Promise<SnapshotTask | null> {
  const rows = await tx.query<Row>("select * from tiw_snapshot_tasks where app_id = $1 and task_id = $2 for update", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

export async function saveSnapshot(tx: Queryable, t: SnapshotTask): Promise<void> {
  await tx.query(
    `update tiw_snapshot_tasks set status = $3, snapshots = $4, error_code = $5, error_message = $6, finished_at = $7
     where app_id = $1 and task_id = $2`,
    [t.appId, t.taskId, t.status, JSON.stringify(t.snapshots), t.errorCode, t.errorMessage, t.finishedAt],
  );
}
