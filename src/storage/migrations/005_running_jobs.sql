-- Claimed jobs are 'running' (see src/jobs/queue.ts); their lease is found by this index.
create index jobs_running_leases on jobs (locked_until) where state = 'running';
