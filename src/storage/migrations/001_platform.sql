-- Tenancy: accounts own key pairs and apps. Every tenant-owned table keys by app first.
create table accounts (
  account_id text primary key,
  name text not null,
  -- Huawei addresses an account's resources by a 32-hex project id in the URL path.
  huawei_project_id text not null unique,
  created_at bigint not null
);

-- SecretKeys stay in clear: HMAC verification needs them (the data directory is owner-only).
create table api_keys (
  secret_id text primary key,
  account_id text not null references accounts (account_id),
  secret_key text not null,
  created_at bigint not null
);

create sequence app_numeric_id start 1400000001;

create table apps (
  app_id text primary key,
  account_id text not null references accounts (account_id),
  products text[] not null,
  name text not null default '',
  created_at bigint not null
);
create index apps_account on apps (account_id);

-- Ingest keys and admin tokens are stored as SHA-256 hashes only.
create table ingest_keys (
  key_hash text primary key,
  app_id text not null references apps (app_id) on delete cascade,
  prefix text not null,
  created_at bigint not null
);

create table admin_tokens (
  token_hash text primary key,
  label text not null,
  created_at bigint not null
);

-- The generic event log of the ingest API: (app, client event id) makes retries idempotent.
create table ingest_events (
  app_id text not null,
  event_id text not null,
  type text not null,
  ctime bigint not null,
  stime bigint not null,
  data jsonb not null,
  primary key (app_id, event_id)
);

-- Jobs: run_at is domain time (the injectable clock), locked_until is wall time (a lease).
create table jobs (
  id bigserial primary key,
  name text not null,
  payload jsonb not null,
  run_at bigint not null,
  state text not null default 'pending',
  attempts int not null default 0,
  max_attempts int not null,
  singleton_key text,
  locked_by text,
  locked_until bigint,
  last_error text,
  created_at bigint not null
);
create index jobs_due on jobs (run_at) where state = 'pending';
create unique index jobs_singleton on jobs (singleton_key) where state = 'pending';
