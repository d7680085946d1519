-- An X-Auth-Token can be revoked (issue 16 item 7): a mark, like the platform's credentials.
alter table rtc_auth_tokens add column revoked_at bigint;
