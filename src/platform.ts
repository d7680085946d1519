// The platform handle passed to every product: storage, domain clock, jobs, tenancy,
// configuration and logging. Built once at start-up by server.ts.
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Db } from "./storage/db.ts";
import type { SystemClock } from "./time/clock.ts";
import type { JobQueue } from "./jobs/queue.ts";
import type { Tenancy } from "./tenancy/tenancy.ts";
import type { IngestRegistry } from "./protocols/ingest/batch.ts";
import type { Metrics } from "./observability/metrics.ts";

export interface Platform {
  config: Config;
  db: Db;
  clock: SystemClock;
  jobs: JobQueue;
  tenancy: Tenancy;
  log: Logger;
  /** The ingest event types; `ingest.ingest(platform, app, events)` stores a batch all or nothing. */
  ingest: IngestRegistry;
  metrics: Metrics;
}
