-- GME voice rooms beyond recording (issue 21): the server-side mute of ModifyUserMicStatus,
-- the presence history behind DescribeUserInAndOutTime, and the app switch of ModifyAppStatus.

-- A user the server muted (ModifyUserMicStatus EnableMic 1). The mute lasts until the user
-- leaves the room (a leave clears it) or is lifted (EnableMic 2). A muted user sending audio
-- is not a speaker: nothing of theirs is recorded.
alter table gme_room_members add column mic_disabled boolean not null default false;

-- Every presence mark, in event time: "in" from gme.user.entered / gme.audio.started, "out"
-- from gme.user.left and DeleteRoomMember. The intervals are folded at query time in time
-- order, so late and reordered events land where they belong.
create table gme_presence_marks (
  app_id text not null,
  room_id text not null,
  user_id text not null,
  at bigint not null,
  in_room boolean not null,
  seq bigserial not null,
  primary key (app_id, room_id, user_id, at, seq)
);

-- ModifyAppStatus: the application's master switch ("open"/"close"); a closed app's
-- recording actions answer UnsupportedOperation.ServiceNotOpened.
alter table gme_apps add column app_closed boolean not null default false;
