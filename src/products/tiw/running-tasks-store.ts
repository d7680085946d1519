// SQL of DescribeRunningTasks: the app's tasks of one family still being executed, created
// in the last three days (the cloud's documented window), oldest first. Whether a task is
// QUEUED or PROCESSING is its agent task's state: waiting for a worker, or held by one.
import type { Queryable } from "../../storage/db.ts";

export interface RunningTask {
  taskId: string;
  roomId: number;
  createdAt: number;
  queued: boolean;
}

export const RUNNING_WINDOW_MS = 3 * 24 * 3600_000;

/** The task tables DescribeRunningTasks reads, by TaskType, with what "running" means for each. */
const FAMILIES = {
  // A push runs until STOPPED.
  WhiteboardPush: { table: "tiw_push_tasks", running: "t.status <> 'STOPPED'" },
  // A recording runs until FINISHED: STOPPED is still uploading its result.
  OnlineRecord: { table: "tiw_record_tasks", running: "t.status <> 'FINISHED'" },
} as const;

export type RunningTaskType = keyof typeof FAMILIES;
export const isRunningTaskType = (s: string): s is RunningTaskType => Object.hasOwn(FAMILIES, s);

export async function runningTasks(
  q: Queryable,
  appId: string,
  type: RunningTaskType,
  since: number,
  offset: number,
  limit: number,
): Promise<{ total: number; tasks: RunningTask[] }> {
  const f = FAMILIES[type];
  const rows = await q.query<{ task_id: string; room_id: number; created_at: number; queued: boolean; total: number }>(
    `select t.task_id, t.room_id, t.created_at, coalesce(a.state = 'queued', true) as queued, count(*) over ()::int as total
     from ${f.table} t left join agent_tasks a on a.app_id = t.app_id and a.task_id = t.task_id
     where t.app_id = $1 and ${f.running} and t.created_at >= $2
     order by t.created_at, t.task_id
     offset $3 limit $4`,
    [appId, since, offset, limit],
  );
  let total = rows.rows[0]?.total;
  if (total === undefined) {
    // A page past the end: the total still counts.
    const c = await q.query<{ n: number }>(
      `select count(*)::int as n from ${f.table} t where t.app_id = $1 and ${f.running} and t.created_at >= $2`,
      [appId, since],
    );
    total = c.rows[0]?.n ?? 0;
  }
  return {
    total,
    tasks: rows.rows.map((r) => ({ taskId: r.task_id, roomId: Number(r.room_id), createdAt: Number(r.created_at), queued: r.queued })),
  };
}
