// The server's own handle on what it built (storage, domain clock, jobs, tenancy, ingest,
// metrics), returned by startServer to whoever started it: the CLI, the benchmarks, tests.
// Products never see it: server.ts hands each of them a narrow ProductContext instead.
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Db } from "./storage/db.ts";
import type { SystemClock } from "./time/clock.ts";
import type { JobQueue } from "./jobs/queue.ts";
import type { Tenancy } from "./tenancy/tenancy.ts";
import type { IngestRegistry } from "./ingest/registry.ts";
import type { Metrics } from "./observability/metrics.ts";

export interface Platform {
  config: Config;
  db: Db;
  clock: SystemClock;
  jobs: JobQueue;
  tenancy: Tenancy;
  log: Logger;
  /** The ingest event types; `ingest.ingest(app, events)` stores a batch all or nothing. */
  ingest: IngestRegistry;
  metrics: Metrics;
}
