-- GME server-side recording: per-app switches, voice-room presence (from ingest events),
-- recording tasks and their per-stream RecordInfo entries. Every table keys by app first.

-- The console switches of the cloud (recording is opened per app in the GME console; there
-- is no API for it). An app without a row has the defaults below.
create table gme_apps (
  app_id text primary key,
  project_id bigint not null default 0,
  recording_opened boolean not null default false,
  -- Seconds an emptied room waits before its recording stops; null = never auto-stop.
  empty_room_stop_s int default 60,
  -- The GME app key ("应用密钥") that CreateApp returns for the client SDK's init.
  app_key text,
  -- What CreateApp was given (service switches, engines, regions, tags), echoed by the list.
  profile jsonb not null default '{}',
  created_at bigint not null
);

-- Who is in a voice room, and who sends audio. Each half carries the ctime of the event
-- that set it, so out-of-order events never roll the state back.
create table gme_room_members (
  app_id text not null,
  room_id text not null,
  user_id text not null,
  in_room boolean not null,
  presence_at bigint not null,
  sending_audio boolean not null,
  audio_at bigint not null,
  primary key (app_id, room_id, user_id)
);
create index gme_room_members_present on gme_room_members (app_id, room_id) where in_room;

-- state: recording → stopped (recorder transcoding/uploading) → done; or lost (the recorder
-- vanished for good). One recording task per room at a time.
create table gme_record_tasks (
  app_id text not null,
  task_id bigint not null,
  room_id text not null,
  record_mode int not null,
  subscribe_user_ids text[],
  unsubscribe_user_ids text[],
  state text not null,
  stop_reason text,
  recorder_losses int not null default 0,
  -- Since when the room of a recording task has been empty (domain ms); null while occupied.
  empty_since bigint,
  created_at bigint not null,
  stopped_at bigint,
  updated_at bigint not null,
  primary key (app_id, task_id)
);
create unique index gme_record_tasks_recording_room on gme_record_tasks (app_id, room_id) where state = 'recording';
create index gme_record_tasks_room on gme_record_tasks (app_id, room_id, created_at);

-- One RecordInfo entry per recorded stream of a task: a user's stream, or "0" the mix.
create table gme_record_streams (
  app_id text not null,
  task_id bigint not null,
  user_id text not null,
  begin_at bigint not null,
  status int not null,
  updated_at bigint not null,
  primary key (app_id, task_id, user_id)
);
