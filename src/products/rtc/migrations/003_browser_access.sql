-- Browser access of an RTC app: the secret its backend signs browser upload tokens with
-- (browser/browser-tokens.ts; kept in clear: an HMAC is verified with the key itself) and
-- the page origins allowed to upload QoS samples from a browser (CORS).
create table rtc_browser_access (
  app_id text collate "C" primary key,
  secret text not null,
  origins text[] not null default '{}',
  updated_at bigint not null
);
