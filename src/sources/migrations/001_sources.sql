-- Media servers (SFUs) feeding the ledger: their links to apps, the raw events they sent,
-- how their rooms and participants map to the clouds' ids, and per-app attendance settings.

-- A source credential: LiveKit's API key and secret (the secret verifies its webhooks'
-- HMAC, so it is kept as given), or a Janus event handler's basic-auth user and password
-- (kept hashed: it is only compared). One key id belongs to one app.
create table source_links (
  kind text not null,
  key_id text not null,
  app_id text not null,
  secret text,
  secret_hash text,
  created_at bigint not null,
  primary key (kind, key_id)
);
create index source_links_app on source_links (app_id);

-- Every event a source sent, as the attendance model normalised it, once per source event
-- id (retries and duplicates collapse here). Presences are recomputed from these rows.
create table source_events (
  app_id text not null,
  source text not null,
  event_id text not null,
  room text not null,
  identity text not null,
  connection text not null,
  kind text not null,
  at bigint not null,
  stime bigint not null,
  extras jsonb,
  primary key (app_id, source, event_id)
);
create index source_events_room on source_events (app_id, source, room);

-- One row per SFU room seen: the lock that serialises its recomputations, and the cloud
-- room it was last fed to (a new mapping must take its members out of the old one).
create table source_rooms (
  app_id text not null,
  source text not null,
  room text not null,
  recomputed_at bigint not null,
  fed_target text,
  primary key (app_id, source, room)
);

-- Explicit mapping where the defaults (room name = the cloud's RoomId, identity = UserId)
-- do not fit.
create table source_room_map (
  app_id text not null,
  source text not null,
  room text not null,
  target text not null,
  primary key (app_id, source, room)
);
create table source_user_map (
  app_id text not null,
  source text not null,
  identity text not null,
  user_id text not null,
  primary key (app_id, source, identity)
);

-- Per app and source: how long a gap a reconnect may leave and still be one presence, and
-- how long an open presence stays open without news.
create table source_settings (
  app_id text not null,
  source text not null,
  reconnect_gap_ms bigint not null,
  open_timeout_ms bigint not null,
  primary key (app_id, source)
);
