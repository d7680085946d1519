-- TRRO: a project is an app (apps.app_id, 16 lowercase alphanumerics). Its devices, sessions
-- and per-side metric samples key by app first. Times are Unix ms: *_time are device times
-- (the ctime of reports), *_seen are server domain times (when a report was stored).

create table trro_projects (
  app_id text primary key references apps (app_id) on delete cascade,
  name text not null,
  description text not null default '',
  policy_mode text not null default 'black',
  modify_time bigint not null,
  -- A device without any report for this long is offline (configurable per project).
  presence_ms bigint not null default 30000,
  -- A session whose devices have been silent this long is closed (configurable per project).
  silence_ms bigint not null default 60000,
  -- The longest closed session: bounds the index range of window (overlap) queries.
  max_duration_ms bigint not null default 0,
  -- Devices are numbered in their project (1, 2, ...) for the day rollups' device bitmaps.
  device_seq int not null default 0
);

create table trro_devices (
  app_id text not null,
  device_id text not null,
  name text not null,
  device_type text not null,
  -- The device token is a credential: only its SHA-256 is kept.
  token_hash text not null,
  modify_time bigint not null,
  -- Whether the device said it is online (online/heartbeat) and has not said offline since.
  online boolean not null default false,
  last_report_time bigint,
  last_seen bigint,
  device_no int not null,
  primary key (app_id, device_id)
);

create table trro_sessions (
  app_id text not null,
  session_id text not null,
  field_device_id text not null,
  remote_device_id text not null,
  -- The devices' numbers (trro_devices.device_no), for the day rollups.
  field_no int not null,
  remote_no int not null,
  resolution text not null default '',
  start_time bigint not null,
  -- null while the session is open.
  end_time bigint,
  -- Per side: device time of its last report, server time it was seen (null: never reported).
  field_last bigint,
  remote_last bigint,
  field_seen bigint,
  remote_seen bigint,
  last_report_time bigint not null,
  -- Quality counters (see quality.ts): samples, samples at least "poor", samples "bad".
  samples int not null default 0,
  poor_samples int not null default 0,
  bad_samples int not null default 0,
  quality text not null default 'normal',
  -- What each side reported when it joined (version, SDK mode, sizes), for the details.
  field_info jsonb,
  remote_info jsonb,
  primary key (app_id, session_id)
);
create index trro_sessions_start on trro_sessions (app_id, start_time desc, session_id desc)
  include (end_time, last_report_time, field_device_id, remote_device_id, field_no, remote_no, quality);
create index trro_sessions_field on trro_sessions (app_id, field_device_id, start_time desc);
create index trro_sessions_remote on trro_sessions (app_id, remote_device_id, start_time desc);
create index trro_sessions_open on trro_sessions (app_id, start_time) where end_time is null;

-- One metric sample per (session, device, device time): a retried sample is stored once.
create table trro_samples (
  app_id text not null,
  session_id text not null,
  device_id text not null,
  t bigint not null,
  m jsonb not null,
  primary key (app_id, session_id, device_id, t)
);

-- Closed sessions summed per China Standard Time day of their start (rollup-store.ts): the
-- statistics read whole days here instead of every session. Device sets are bitmaps over
-- device_no (bit n = byte n/8, bit n%8 from the least significant).
create table trro_session_days (
  app_id text not null,
  day bigint not null,
  sessions int not null default 0,
  duration_ms bigint not null default 0,
  bad_sessions int not null default 0,
  field_bits bytea not null default '',
  remote_bits bytea not null default '',
  primary key (app_id, day)
);
