// A product is a folder that declares, in one object, everything it plugs into: its SQL
// migrations, its settings, the shape of its app ids, its Tencent service, Huawei routes,
// native routes, ingest event types, agent task kinds, jobs, admin routes and start-up hook.
// server.ts mounts every slot and hands each product its own narrow context (ProductContext).
import type { FastifyInstance } from "fastify";
import type { Config } from "../config.ts";
import type { TencentService } from "../protocols/tencent/action.ts";
import type { HuaweiProductApi } from "../protocols/huawei/route.ts";
import type { NativeRoute } from "../protocols/native/route.ts";
import type { IngestEventType } from "../ingest/event-type.ts";
import type { JobType } from "../jobs/queue.ts";
import type { ProductContext } from "../product-context.ts";
import type { AgentKind } from "../agent/tasks.ts";
import type { WorkerSimulator } from "../agent/simulator.ts";
import type { AppIdShape } from "../tenancy/app-id.ts";
import type { RetentionRule } from "../storage/retention.ts";

export interface Product<S = any> {
  /** Also the product name apps are created with and event types/agent kinds belong to. */
  name: string;
  /** Folder of NNN_name.sql migrations, applied at start. */
  migrations?: string;
  /** The product's own settings, from the configuration (ctx.settings). */
  settings?: (config: Config) => S;
  /** The shape of the ids of apps created for this product (default: numeric SdkAppId). */
  appIdShape?: AppIdShape;
  /** An app of this product cannot carry another product (a TRRO project is an app of its own). */
  appAlone?: boolean;
  tencent?: TencentService;
  /** Routes behind the Huawei gateway (/v1), built with the product's context. */
  huawei?: (ctx: ProductContext<S>) => HuaweiProductApi;
  /** Native routes on the public listener, mounted with the native kit. */
  native?: (ctx: ProductContext<S>) => readonly NativeRoute[];
  events?: readonly IngestEventType<any>[];
  /** Job types, built with the product's context. */
  jobs?: (ctx: ProductContext<S>) => readonly JobType<any>[];
  /** Kinds of tasks run by workers through the agent protocol. */
  agentKinds?: readonly AgentKind[];
  /** Simulated workers by task kind (`roomledger worker simulate --kind <kind>`). */
  workerSimulators?: Record<string, WorkerSimulator>;
  /** Extra admin routes, mounted at /admin/v1/<product>/ (callback settings, ...). */
  adminRoutes?: (app: FastifyInstance, ctx: ProductContext<S>) => void | Promise<void>;
  /** Runs once at start-up, after the jobs are registered and before the listeners open. */
  start?: (ctx: ProductContext<S>) => Promise<void>;
  /** Tables of the product that retention trims (src/storage/retention.ts), run by the platform's job. */
  retention?: readonly RetentionRule[];
  /** Only registered in development mode. */
  devOnly?: boolean;
}
