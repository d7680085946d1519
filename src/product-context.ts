// What server.ts hands a product, wherever the product is called (actions, ingest types,
// agent hooks, jobs, Huawei and native routes, admin routes, start-up): only what a product
// needs, never the whole server. The clock is read-only here (advancing it is the admin
// API's), jobs can be enqueued but not registered (a product declares its job types), and
// `settings` are the product's own, derived from the configuration once at start-up.
import type { Logger } from "pino";
import type { Db } from "./storage/db.ts";
import type { Clock } from "./time/clock.ts";
import type { JobQueue } from "./jobs/queue.ts";
import type { Tenancy } from "./tenancy/tenancy.ts";
import type { App } from "./tenancy/accounts.ts";

export type JobEnqueuer = Pick<JobQueue, "enqueue">;

/**
 * The ingest service (src/ingest/registry.ts), for a product's own batch routes: check one
 * event (the parsed event, or why it is bad), store a batch all or nothing.
 */
export interface IngestPort {
  check(raw: unknown, app: App, stime: number): object | string;
  ingest(app: App, raws: readonly unknown[]): Promise<{ received: number; accepted: number; duplicates: number }>;
}

export interface ProductContext<S = unknown> {
  db: Db;
  clock: Clock;
  jobs: JobEnqueuer;
  tenancy: Tenancy;
  log: Logger;
  settings: S;
  ingest: IngestPort;
}
