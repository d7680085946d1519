-- Online recording (StartOnlineRecord), video generation (CreateVideoGenerationTask) and
-- snapshot (CreateSnapshotTask) tasks. As for pushes, the worker side of each task (claim,
-- lease, stop request) lives in agent_tasks under the same (app_id, task_id); these rows
-- hold what the Describe actions report. Times are Unix ms of the domain clock.
create table tiw_record_tasks (
  app_id text not null,
  task_id text not null,
  room_id bigint not null,
  group_id text not null,
  record_user_id text not null,
  -- The TRTC room the recorder pulls from (TRTCRoomIdStr, TRTCRoomId or RoomId, as text).
  trtc_room text not null,
  record_mode text not null,
  concat_enabled boolean not null,
  auto_stop_timeout_s int not null,
  -- The request's recording parameters (Whiteboard, Concat, MixStream, RecordControl, ...):
  -- a video generation task of this recording starts from them.
  params jsonb not null,
  -- PREPARED, RECORDING, PAUSED, STOPPED (uploading), FINISHED.
  status text not null default 'PREPARED',
  -- A stop asked for (USER_CALL, AUTO, FORCE_STOP) that the recorder has not confirmed yet.
  stop_reason text,
  finish_reason text,
  record_start_time bigint,
  record_stop_time bigint,
  -- The open pause (PAUSED since), and the closed ones [{VideoTime, PauseTime, ResumeTime}].
  paused_at bigint,
  omitted jsonb not null default '[]',
  total_time bigint not null default 0,
  exception_cnt int not null default 0,
  error_code text,
  error_message text,
  -- {userId: count} of video stream interruptions the recorder reported.
  interrupts jsonb not null default '{}',
  video_infos jsonb not null default '[]',
  replay_url text,
  last_activity bigint not null,
  created_at bigint not null,
  finished_at bigint,
  primary key (app_id, task_id)
);
-- A record user is in one room at a time (ResourceInUse.RecordUserId).
create unique index tiw_record_tasks_active_user on tiw_record_tasks (app_id, record_user_id)
  where status in ('PREPARED', 'RECORDING', 'PAUSED');
create index tiw_record_tasks_active_room on tiw_record_tasks (app_id, room_id) where status in ('PREPARED', 'RECORDING', 'PAUSED');
create index tiw_record_tasks_active_trtc on tiw_record_tasks (app_id, trtc_room) where status in ('PREPARED', 'RECORDING', 'PAUSED');

-- The per-app limit of concurrent recordings, beside the push limit.
alter table tiw_push_settings add column max_concurrent_records int not null default 100;

create table tiw_video_generation_tasks (
  app_id text not null,
  task_id text not null,
  record_task_id text not null,
  room_id bigint not null,
  group_id text not null,
  -- QUEUED, PROCESSING, FINISHED (with or without an error).
  status text not null default 'QUEUED',
  progress int not null default 0,
  total_time bigint not null default 0,
  video_infos jsonb not null default '[]',
  error_code text,
  error_message text,
  created_at bigint not null,
  finished_at bigint,
  primary key (app_id, task_id)
);

create table tiw_snapshot_tasks (
  app_id text not null,
  task_id text not null,
  room_id bigint not null,
  -- CreateSnapshotTask's CallbackURL ('' for none): told the result when the task finishes.
  callback_url text not null default '',
  -- Running, Finished.
  status text not null default 'Running',
  snapshots jsonb not null default '[]',
  error_code text,
  error_message text,
  created_at bigint not null,
  finished_at bigint,
  primary key (app_id, task_id)
);
