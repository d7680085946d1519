// A product is a folder that declares, in one object, everything it plugs into the
// platform: its SQL migrations, Tencent actions, ingest event types, jobs and extra routes.
import type { FastifyInstance } from "fastify";
import type { TencentService } from "../protocols/tencent/action.ts";
import type { IngestEventType } from "../protocols/ingest/event-type.ts";
import type { JobType } from "../jobs/queue.ts";
import type { Platform } from "../platform.ts";
import type { AgentKind } from "../agent/tasks.ts";
import type { WorkerSimulator } from "../agent/simulator.ts";

export type ProductName = "lcic" | "tiw" | "gme" | "trro" | "rtc" | "roomledger";

export interface Product {
  name: ProductName;
  /** Folder of NNN_name.sql migrations, applied at start. */
  migrations?: string;
  tencent?: TencentService;
  events?: readonly IngestEventType<any>[];
  /** Job types; as a function when their handlers need the platform (db, clock, jobs). */
  jobs?: readonly JobType<any>[] | ((platform: Platform) => readonly JobType<any>[]);
  /** Kinds of tasks run by workers through the agent protocol. */
  agentKinds?: readonly AgentKind[];
  /** Simulated workers by task kind (`roomledger worker simulate --kind <kind>`). */
  workerSimulators?: Record<string, WorkerSimulator>;
  /** Extra HTTP routes on the public listener (other protocols, agent endpoints). */
  routes?: (app: FastifyInstance, platform: Platform) => void | Promise<void>;
  /** Extra admin routes, mounted at /admin/v1/<product>/ (callback settings, ...). */
  adminRoutes?: (app: FastifyInstance, platform: Platform) => void | Promise<void>;
  /** Only registered in development mode. */
  devOnly?: boolean;
}
