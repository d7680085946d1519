-- LCIC classroom: users, groups (expected attendees), rooms, the per-room event stream
-- (the projection of ingest events and of the server's own room events), chat messages,
-- kick blocks and the computed statistics. Every table keys by app first.

create table lcic_users (
  app_id text not null,
  user_id text not null,
  origin_id text not null,
  name text not null default '',
  avatar text not null default '',
  created_at bigint not null,
  primary key (app_id, user_id),
  unique (app_id, origin_id)
);
-- LoginUser/DescribeUser/DeleteUser name a user without its SdkAppId.
create unique index lcic_users_id on lcic_users (user_id);

create table lcic_groups (
  app_id text not null,
  group_id text not null,
  name text not null,
  teacher_id text not null default '',
  created_at bigint not null,
  primary key (app_id, group_id)
);
create unique index lcic_groups_id on lcic_groups (group_id);

create table lcic_group_members (
  app_id text not null,
  group_id text not null,
  user_id text not null,
  added_at bigint not null,
  -- The order members were added in (DescribeGroupMemberList).
  pos bigserial,
  primary key (app_id, group_id, user_id)
);
create index lcic_group_members_user on lcic_group_members (app_id, user_id);

create sequence lcic_room_id start 300000001;

create table lcic_rooms (
  app_id text not null,
  room_id bigint not null,
  account_id text not null,
  -- The CreateRoom/ModifyRoom fields, with their defaults filled in.
  config json not null,
  start_time bigint not null,
  end_time bigint not null,
  status smallint not null default 0,
  real_start bigint,
  real_end bigint,
  -- Bumped by every batch of events added to an ended room: the statistics are current
  -- when stats_version = stream_version.
  stream_version bigint not null default 0,
  msg_seq bigint not null default 0,
  created_at bigint not null,
  primary key (app_id, room_id)
);
create unique index lcic_rooms_id on lcic_rooms (room_id);
create index lcic_rooms_window on lcic_rooms (app_id, start_time);

create table lcic_room_events (
  app_id text not null,
  room_id bigint not null,
  event_id text not null,
  kind smallint not null,
  ctime bigint not null,
  user_id text not null default '',
  role smallint,
  device smallint,
  reason smallint,
  ip text,
  location text,
  primary key (app_id, room_id, event_id)
);
create index lcic_room_events_order on lcic_room_events (app_id, room_id, ctime, kind);

-- Per (member, kind) counts of the counted kinds of the stream (hands, mics, messages ...),
-- kept with every append, so that the statistics of a large room need not scan them.
create table lcic_member_counters (
  app_id text not null,
  room_id bigint not null,
  user_id text not null,
  kind smallint not null,
  n bigint not null,
  primary key (app_id, room_id, user_id, kind)
);

create table lcic_messages (
  app_id text not null,
  room_id bigint not null,
  seq bigint not null,
  ctime bigint not null,
  from_account text not null,
  body json not null,
  primary key (app_id, room_id, seq)
);

create table lcic_kick_blocks (
  app_id text not null,
  room_id bigint not null,
  user_id text not null,
  kick_type smallint not null,
  -- Domain ms; null = permanent.
  until bigint,
  primary key (app_id, room_id, user_id)
);

create table lcic_room_stats (
  app_id text not null,
  room_id bigint not null,
  stats_version bigint not null,
  summary json not null,
  computed_at bigint not null,
  primary key (app_id, room_id)
);

create table lcic_member_stats (
  app_id text not null,
  room_id bigint not null,
  ord int not null,
  record json not null,
  primary key (app_id, room_id, ord)
);

create table lcic_settings (
  app_id text primary key,
  statistics_delay_s int not null,
  statistics_grace_s int not null
);
