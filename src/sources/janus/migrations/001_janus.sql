-- What a later Janus event needs from an earlier one. Janus names a participant only when it
-- joins ("joined": room, feed id, display, session, handle); its "leaving" carries only the
-- room and feed id, and its media statistics only the session and handle. Rows go when
-- their session ends (or Janus restarts): this is working state, not history.

-- VideoRoom publishers (participants) by feed.
create table janus_feeds (
  app_id text not null,
  emitter text not null,
  room text not null,
  feed text not null,
  identity text not null,
  session_id text not null,
  handle_id text not null,
  private_id text,
  joined_at bigint not null,
  left_at bigint,
  -- the last "seen" given to the attendance model (at most one a minute per feed)
  seen_at bigint not null,
  media text[] not null,
  primary key (app_id, emitter, room, feed)
);
create index janus_feeds_session on janus_feeds (app_id, emitter, session_id);

-- Subscriber handles: which publisher feed each of their mids carries.
create table janus_subscriptions (
  app_id text not null,
  emitter text not null,
  session_id text not null,
  handle_id text not null,
  room text not null,
  private_id text,
  streams jsonb not null,
  primary key (app_id, emitter, session_id, handle_id)
);

-- The previous cumulative counters of each medium of a handle: loss is a difference of two.
create table janus_counters (
  app_id text not null,
  emitter text not null,
  session_id text not null,
  handle_id text not null,
  medium text not null,
  at bigint not null,
  lost double precision not null,
  received double precision not null,
  lost_remote double precision not null,
  sent double precision not null,
  rr_seen boolean not null,
  primary key (app_id, emitter, session_id, handle_id, medium)
);
