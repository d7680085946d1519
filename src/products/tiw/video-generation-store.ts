// SQL of the video generation tasks (tiw_video_generation_tasks). Lock order as for the
// other task kinds: the agent task first, then lockVideoGeneration.
import type { Queryable } from "../../storage/db.ts";
import type { VideoInfo } from "./record-task.ts";
import type { VideoGenerationTask } from "./video-generation-task.ts";

interface Row {
  app_id: string;
  task_id: string;
  record_task_id: string;
  room_id: number;
  group_id: string;
  status: VideoGenerationTask["status"];
  progress: number;
  total_time: number;
  video_infos: VideoInfo[];
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  finished_at: number | null;
}

const toTask = (r: Row): VideoGenerationTask => ({
  appId: r.app_id,
  taskId: r.task_id,
  recordTaskId: r.record_task_id,
  roomId: Number(r.room_id),
  groupId: r.group_id,
  status: r.status,
  progress: r.progress,
  totalTime: Number(r.total_time),
  videoInfos: r.video_infos,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  createdAt: Number(r.created_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

export async function insertVideoGeneration(
  tx: Queryable,
  t: Pick<VideoGenerationTask, "appId" | "taskId" | "recordTaskId" | "roomId" | "groupId" | "createdAt">,
): Promise<void> {
  await tx.query(
    `insert into tiw_video_generation_tasks (app_id, task_id, record_task_id, room_id, group_id, created_at)
     values ($1, $2, $3, $4, $5, $6)`,
    [t.appId, t.taskId, t.recordTaskId, t.roomId, t.groupId, t.createdAt],
  );
}

export async function getVideoGeneration(q: Queryable, appId: string, taskId: string): Promise<VideoGenerationTask | null> {
  const rows = await q.query<Row>("select * from tiw_video_generation_tasks where app_id = $1 and task_id = $2", [appId, taskId]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

export async function lockVideoGeneration(tx: Queryable, appId: string, taskId: string): Promise<VideoGenerationTask | null> {
  const rows = await tx.query<Row>("select * from tiw_video_generation_tasks where app_id = $1 and task_id = $2 for update", [
    appId,
    taskId,
  ]);
  return rows.rows[0] ? toTask(rows.rows[0]) : null;
}

export async function saveVideoGeneration(tx: Queryable, t: VideoGenerationTask): Promise<void> {
  await tx.query(
    `update tiw_video_generation_tasks set status = $3, progress = $4, total_time = $5, video_infos = $6, error_code = $7,
       error_message = $8, finished_at = $9
     where app_id = $1 and task_id = $2`,
    [t.appId, t.taskId, t.status, t.progress, t.totalTime, JSON.stringify(t.videoInfos), t.errorCode, t.errorMessage, t.finishedAt],
  );
}
