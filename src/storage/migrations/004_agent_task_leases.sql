-- Heartbeats move lease_until several times a second per worker. With lease_until indexed
-- (003's agent_tasks_leases), every heartbeat was a non-HOT update: a new entry in every
-- index and a dead tuple that PGlite, which runs no autovacuum, never reclaims. Measured:
-- heartbeats 5x slower after 100,000 of them, the table growing without bound. Without an
-- index on lease_until, and with room left in each page, a heartbeat is a HOT update that
-- is pruned in place. The lease sweep scans the claimed tasks through the index below
-- (claimed tasks are the running ones: few) and sorts them by lease.
drop index agent_tasks_leases;
create index agent_tasks_claimed on agent_tasks (worker_id) where state = 'claimed';
alter table agent_tasks set (fillfactor = 70);
