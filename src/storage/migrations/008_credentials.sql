-- Worker credentials, lease tokens and revocation (issue 16, items 4 and 7). Numbered 010,
-- not 007: migrations are keyed by (component, number), and other work in flight adds
-- platform migrations of its own.

-- A worker credential authenticates task workers on /agent/v1 for one app and the task kinds
-- listed (the app's ingest key, which client apps carry, no longer does). Stored as a SHA-256
-- hash only; the id (wk-...) names it in lists and revocations.
create table worker_credentials (
  credential_id text primary key,
  credential_hash text not null unique,
  app_id text not null references apps (app_id) on delete cascade,
  kinds text[] not null,
  label text not null default '',
  prefix text not null,
  created_at bigint not null,
  revoked_at bigint
);
create index worker_credentials_app on worker_credentials (app_id);

-- The lease a claim hands out: its token's hash, and the credential that claimed it. Every
-- heartbeat and report must carry the token, through the same credential.
alter table agent_tasks add column lease_token_hash text, add column credential_id text;

-- Revocation is a mark, not a delete: a pinned credential (ROOMLEDGER_SECRET_ID,
-- ROOMLEDGER_ADMIN_TOKEN) that a restart writes again stays revoked.
alter table api_keys add column revoked_at bigint;
alter table ingest_keys add column revoked_at bigint;
alter table admin_tokens add column revoked_at bigint;

-- Every revocation, in order. Instances sharing one PostgreSQL poll the highest seq and drop
-- their cached credential lookups when it moves (tenancy/revocations.ts).
create table credential_revocations (
  seq bigserial primary key,
  kind text not null,
  credential text not null,
  revoked_at bigint not null
);
