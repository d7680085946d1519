-- Client QoS samples of SparkRTC-style calls: one row per sample (room, sending user uid,
-- receiving peer, stream, direction, client time) with one nullable real column per metric.
--
-- Layout measured by `npm run bench -- rtc` (same run, same machine, 2 shared cores), the
-- same samples (≈22 metrics each) stored both ways:
--   (`npm run bench -- rtc`, 2026-11-22, a 2-core machine shared with other jobs, load 7-15:
--   absolute times are inflated, the ratios within one run are what to read)
--                                    row per sample   row per point
--   PGlite   insert (points/s)         127,112           18,561   (0.15×)
--            disk (bytes/point)          13.3              193
--            1 h all metrics SQL (ms)    30               1,054
--            4 h one metric SQL (ms)     25                 419
--   Postgres insert (points/s)         234,384           19,602   (0.08×)
--            disk (bytes/point)          13.9              209
--            1 h all metrics SQL (ms)    48                 313
--            4 h one metric SQL (ms)     31                  15   (the one case a point row wins)
--   So: one row per sample.
-- A point row repeats the whole key for every value and puts every point in the primary key
-- index; the sample row shares one key and one index entry across its ≈22 values.
--
-- Range-partitioned by client time (ctime, Unix ms) in UTC days: queries (time_type=ctime,
-- the default) touch one or two partitions, and retention drops whole partitions
-- (see retention.ts); nothing deletes rows one by one. Partitions are created on demand
-- by the writer (qos-store.ts).
create table rtc_qos_samples (
  app_id text not null,
  room_id text not null,
  uid text not null,
  -- "0" for the sender's own uplink measurement, as Huawei's peerid.
  peer_id text not null,
  stream_id text not null,
  -- 0 uplink, 1 downlink
  direction smallint not null,
  ctime bigint not null,
  stime bigint not null,
  appcpu real, syscpu real,
  abit real, ablock real, aloss real, ajitter real, artt real,
  vbit real, vfps real, vblock real, vloss real, vwidth real, vheight real, vjitter real, vrtt real,
  dbit real, dfps real, dblock real, dloss real, dwidth real, dheight real, djitter real, drtt real,
  -- A sample sent twice (a retry) is stored once: the natural key is the identity.
  primary key (app_id, room_id, uid, ctime, peer_id, stream_id, direction)
) partition by range (ctime);

-- X-Auth-Token tokens issued by the admin API for the Huawei gateway, stored as SHA-256.
create table rtc_auth_tokens (
  token_hash text primary key,
  account_id text not null references accounts (account_id),
  label text not null default '',
  created_at bigint not null,
  expires_at bigint not null
);
