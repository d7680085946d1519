-- LCIC, issue 20 (first half): combined groups (联合群组), the order groups were created in,
-- supervisors (巡课), chat mutes (ForbidSendMsg) and room notifications.

-- 0 basic group, 1 combined group (its members are those of its sub groups).
alter table lcic_groups add column group_type smallint not null default 0;
-- The order groups were created in (DescribeGroupList; a batch's groups share a millisecond).
alter table lcic_groups add column pos bigserial;

-- The sub groups of a combined group, in the order CreateGroupWithSubGroup named them.
create table lcic_sub_groups (
  app_id text not null,
  group_id text not null,
  sub_group_id text not null,
  ord int not null,
  primary key (app_id, group_id, sub_group_id)
);
create index lcic_sub_groups_sub on lcic_sub_groups (app_id, sub_group_id);

create table lcic_supervisors (
  app_id text not null,
  user_id text not null,
  added_at bigint not null,
  -- The order supervisors were added in (DescribeSupervisors).
  pos bigserial,
  primary key (app_id, user_id)
);

-- Who may not chat in a room, until when (Unix s; 4294967295 = for good, as IM says).
create table lcic_mutes (
  app_id text not null,
  room_id bigint not null,
  user_id text not null,
  muted_until bigint not null,
  primary key (app_id, room_id, user_id)
);

-- SendRoomNotificationMessage: the room's system notifications, in the order sent.
create table lcic_notifications (
  app_id text not null,
  room_id bigint not null,
  seq bigserial,
  ctime bigint not null,
  content text not null,
  primary key (app_id, room_id, seq)
);
