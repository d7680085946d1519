-- TRRO, second step: access policies, the project's security mode, and the cloud recording
-- and live publishing tasks (issue 21).

-- One row per (mode, remote device, field device): the remote device's black or white list.
-- Both lists are kept; the project's policy_mode says which one is in force.
create table trro_policies (
  app_id text not null,
  policy_mode text not null,
  remote_device_id text not null,
  field_device_id text not null,
  -- When this field device was last added to the remote device's list (Unix ms).
  modify_time bigint not null,
  primary key (app_id, policy_mode, remote_device_id, field_device_id)
);

-- ModifyProjectSecMode. The project key derives device passwords on the devices' side, so it
-- is kept as given (it is a shared secret the server must be able to use, not a password).
alter table trro_projects add column sec_mode int not null default 0;
alter table trro_projects add column project_key text not null default '';
alter table trro_projects add column auto_register int not null default 0;
alter table trro_projects add column field_list_enable int not null default 0;

-- Recording and publishing tasks: the agent task (agent_tasks) holds the spec and the lease;
-- this row finds a TaskId without its project (DeleteCloudRecording and StopPublishLiveStream
-- carry only the TaskId) and keeps what the workers reported.
create table trro_tasks (
  task_id text primary key,
  app_id text not null,
  -- 'trro-record' or 'trro-publish'
  kind text not null,
  -- For a recording: the device and stream recorded (one live recording per stream).
  device_id text,
  video_stream_id int,
  -- queued (no worker yet), running, stopping (asked to stop), done
  state text not null default 'queued',
  created_at bigint not null,
  started_at bigint,
  stopped_at bigint,
  -- Files a recorder uploaded, as it reported them.
  files jsonb not null default '[]'
);
create index trro_tasks_app on trro_tasks (app_id, kind, state);
create unique index trro_tasks_live_recording on trro_tasks (app_id, device_id, video_stream_id)
  where kind = 'trro-record' and state <> 'done';
