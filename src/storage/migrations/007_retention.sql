-- Retention (src/storage/retention.ts) finds expired rows through these indexes, a batch at
-- a time: the event log by the time it stored each event, finished agent tasks by the time
-- they finished. (009: 007 and 008 are left to branches written at the same time.)
create index ingest_events_stime on ingest_events (stime);
create index agent_tasks_done on agent_tasks (updated_at) where state = 'done';
