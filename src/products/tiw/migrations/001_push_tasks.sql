-- Whiteboard push tasks (StartWhiteboardPush). The worker side of each task (claim, lease,
-- stop request) lives in agent_tasks under the same (app_id, task_id); this row holds what
-- DescribeWhiteboardPush reports. Times are Unix ms of the domain clock.
create table tiw_push_tasks (
  app_id text not null,
  task_id text not null,
  room_id bigint not null,
  group_id text not null,
  push_user_id text not null,
  -- The TRTC room the whiteboard is pushed into (TRTCRoomIdStr, TRTCRoomId or RoomId, as text):
  -- audio/video upstream seen there keeps the push alive.
  trtc_room text not null,
  -- A backup task points at its main task; a main task at its backup.
  backup_of text,
  backup_task_id text,
  auto_manage_backup boolean not null default false,
  auto_stop_timeout_s int not null,
  status text not null default 'PREPARED',
  -- A stop asked for (USER_CALL, AUTO) that the worker has not confirmed yet.
  stop_reason text,
  finish_reason text,
  push_start_time bigint,
  push_stop_time bigint,
  im_sync_time bigint not null default 0,
  exception_cnt int not null default 0,
  -- The last exception (or the final failure) the worker reported.
  error_code text,
  error_message text,
  last_activity bigint not null,
  created_at bigint not null,
  primary key (app_id, task_id)
);
-- A push user pushes in one task at a time (ResourceInUse.RecordUserId).
create unique index tiw_push_tasks_active_user on tiw_push_tasks (app_id, push_user_id) where status <> 'STOPPED';
create index tiw_push_tasks_active_room on tiw_push_tasks (app_id, room_id) where status <> 'STOPPED';
create index tiw_push_tasks_active_trtc on tiw_push_tasks (app_id, trtc_room) where status <> 'STOPPED';

-- Per-app limits of the push service (set through the admin API; defaults below).
create table tiw_push_settings (
  app_id text primary key,
  max_concurrent_pushes int not null default 100,
  max_attempts int not null default 3
);
