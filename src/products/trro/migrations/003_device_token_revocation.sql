-- A device token can be revoked (issue 16 item 7): the device's reports are refused until
-- ModifyDevice sets a new token (which clears the mark).
alter table trro_devices add column token_revoked_at bigint;
