-- The samples' primary key in stream order, and ids compared byte by byte.
--
-- 001 keyed a sample (app, room, uid, ctime, peer, stream, direction). A query for one user
-- answers one series per stream, each in time order; with ctime before the stream columns
-- the index returns a user's rows interleaved across streams, so every query sorted all of
-- them (43,200 rows for a day at a 2-second cadence) before aggregating. Keyed
-- (app, room, uid, peer, stream, direction, ctime), an index scan yields each stream's
-- samples already in time order and the aggregate reads them as they come: no sort. A time
-- window without the stream columns is still answered from the index (PostgreSQL 18's
-- skip scan, one descent per stream of the user).
--
-- Ids are opaque strings: comparing them under the "C" collation (bytes) instead of the
-- database's locale is what the answer's order (qos-store.ts compareKeys) assumes, and it
-- is cheaper for every index insert and comparison.
--
-- Measured (`npm run bench -- rtc`, one user, 24 h, one metric, 43,200 samples, "its SQL
-- alone", with the query of qos-store.ts): PostgreSQL 106 → 32 ms, PGlite 64 → 34 ms.
alter table rtc_qos_samples drop constraint rtc_qos_samples_pkey;
alter table rtc_qos_samples
  alter column app_id type text collate "C",
  alter column room_id type text collate "C",
  alter column uid type text collate "C",
  alter column peer_id type text collate "C",
  alter column stream_id type text collate "C";
alter table rtc_qos_samples add primary key (app_id, room_id, uid, peer_id, stream_id, direction, ctime);
