-- Per-app, per-product callback (webhook) settings: LCIC sets them through the admin API,
-- TIW through its Set*Callback actions. Deliveries are jobs (at least once, with retries).
create table callback_settings (
  app_id text not null references apps (app_id) on delete cascade,
  product text not null,
  url text not null default '',
  key text not null default '',
  primary key (app_id, product)
);
