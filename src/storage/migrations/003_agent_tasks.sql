-- Tasks handed to workers through the agent protocol (whiteboard push, recording).
-- state: queued (waiting for a worker) → claimed (a worker holds the lease) → done.
-- The lease is wall-clock time: it is about a worker process being alive, not about domain
-- events, so advancing the development clock does not expire healthy workers' leases.
create table agent_tasks (
  app_id text not null,
  task_id text not null,
  kind text not null,
  state text not null default 'queued',
  stop_requested boolean not null default false,
  worker_id text,
  lease_until bigint,
  attempts int not null default 0,
  max_attempts int not null,
  spec jsonb not null,
  created_at bigint not null,
  updated_at bigint not null,
  primary key (app_id, task_id)
);
create index agent_tasks_queued on agent_tasks (app_id, kind, created_at) where state = 'queued';
create index agent_tasks_leases on agent_tasks (lease_until) where state = 'claimed';
