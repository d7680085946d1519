-- How many roomledger.diagnostic events `apply` has seen per app (development only): lets the
-- crash and idempotency tests check that each stored event was applied exactly once.
create table diagnostic_counters (
  app_id text primary key,
  applied bigint not null
);
