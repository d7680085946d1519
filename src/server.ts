// Builds and starts roomledger: storage, migrations, tenancy, jobs, the public listener
// (cloud protocols, ingest, product routes, docs, health, metrics) and the admin listener.
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import { pino, type Logger } from "pino";
import type { Config } from "./config.ts";
import type { Platform } from "./platform.ts";
import { openDb } from "./storage/open.ts";
import { deferredDb } from "./storage/deferred-db.ts";
import { migratedSnapshot } from "./storage/snapshot.ts";
import { migrate } from "./storage/migrate.ts";
import { SystemClock } from "./time/clock.ts";
import { JobQueue } from "./jobs/queue.ts";
import { Tenancy } from "./tenancy/tenancy.ts";
import { bootstrap, writeCredentials, type Credentials } from "./tenancy/bootstrap.ts";
import { Metrics } from "./observability/metrics.ts";
import { tencentGateway } from "./protocols/tencent/gateway.ts";
import { TencentRateLimit } from "./protocols/tencent/rate-limit.ts";
import { IngestRegistry } from "./ingest/registry.ts";
import { ingestRoutes } from "./protocols/ingest/events-route.ts";
import { mountNativeRoute, type NativeKit } from "./protocols/native/mount.ts";
import { huaweiGateway } from "./protocols/huawei/gateway.ts";
import type { HuaweiRoute, HuaweiTokenVerifier } from "./protocols/huawei/route.ts";
import type { ProductContext } from "./product-context.ts";
import { poolOf } from "./protocols/shared-limiter.ts";
import { adminRoutes } from "./protocols/admin/routes.ts";
import { enabledProducts } from "./products/registry.ts";
import { callbackJob } from "./callbacks/tencent-callback.ts";
import { agentRoutes } from "./protocols/agent/routes.ts";
import { finishedTaskRetention, graceLeasesAtStart, sweepExpiredLeases, type MountedKind } from "./agent/tasks.ts";
import { eventLogRetention } from "./ingest/event-log.ts";
import { retentionJob, scheduleRetention } from "./jobs/retention-job.ts";
import type { Product } from "./products/product.ts";
import { VERSION } from "./version.ts";
import { clientErrorHandler, frameworkErrors, trackRequestStarts } from "./protocols/framework-errors.ts";
import type { ServerTls } from "./tls/server-tls.ts";
import { createSources, sourceRoutes } from "./sources/index.ts";
import { migrationSources } from "./migration-sources.ts";
import { consoleRoutes } from "./console/routes.ts";
import { closeIdleWhileClosing, guardBodyIdle, serverTimeouts } from "./protocols/listener-timeouts.ts";
import { lazySchemaCompilers } from "./protocols/lazy-schemas.ts";
import { lazyDocs } from "./protocols/lazy-docs.ts";
import { startMark } from "./storage/start-marks.ts";

const VACUUM_EVERY_MS = 10 * 60_000;
// The background work due at start (retention, RTC partitions, what the last run left due)
// waits a second: the clients that started the server and call it at once (a test suite, an
// emulated cloud's first SDK call) are answered first instead of queueing behind it for
// PGlite's one connection. An enqueue polls at once, as always.
const STARTUP_JOBS_AFTER_MS = 1_000;

/** A listener could not bind (port in use, no such address, no permission): one line, no stack. */
export class ListenError extends Error {
  override readonly name = "ListenError";
}

export interface RunningServer {
  url: string;
  adminUrl: string;
  credentials: Credentials;
  /** True when this start created the account (the credentials were printed). */
  firstStart: boolean;
  platform: Platform;
  /** The public listener's TLS (--tls): where its CA is, or its PEM to print; null over HTTP. */
  tls: ServerTls | null;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Products to load; default: the registry's (development-only ones only with --dev). */
  products?: readonly Product[];
  logger?: Logger;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.logger ?? pino({ level: config.logLevel });
  const products = opts.products ?? enabledProducts(config.dev);
  const clock = new SystemClock(config.dev);
  // The database opens and is migrated while the rest is set up; nothing queries it before
  // migrate() is done (the embedded one is a deferredDb until then: storage/deferred-db.ts).
  const opening = openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.inMemory ? null : config.dataDir,
    pgliteSharedBuffers: config.pgliteSharedBuffers,
    // A new embedded database starts from the build's migrated snapshot, if there is one.
    pgliteSnapshot: config.databaseUrl ? null : migratedSnapshot,
  }).then(async (opened) => {
    try {
      await migrate(opened, migrationSources(products), () => clock.now());
    } catch (err) {
      await opened.close();
      throw err;
    }
    startMark("server: migrated");
    return opened;
  });
  // PostgreSQL's pool is needed by the set-up (rate limits); PGlite's start runs beside it.
  const db = config.databaseUrl ? await opening : deferredDb(opening, { multiProcess: false, name: "pglite" });
  opening.catch(() => {}); // awaited before the listeners open; a failure is the start's
  const tenancy = new Tenancy(db, clock, new Map(products.flatMap((p) => (p.appIdShape ? [[p.name, p.appIdShape] as const] : []))));
  const jobs = new JobQueue(db, clock, log.child({ component: "jobs" }), config.jobPollMs);
  const registry = new IngestRegistry(db, clock);
  const metrics = new Metrics();
  const platform: Platform = { config, db, clock, jobs, tenancy, log, ingest: registry, metrics };
  // Each product gets its own narrow context: a read-only clock, enqueue-only jobs, its log
  // and its own settings; never the platform handle above.
  const readOnlyClock = { now: () => clock.now() };
  const enqueueOnly = { enqueue: jobs.enqueue.bind(jobs) };
  const contexts = new Map<Product, ProductContext<any>>(
    products.map((p) => [
      p,
      {
        db,
        clock: readOnlyClock,
        jobs: enqueueOnly,
        tenancy,
        ingest: registry,
        log: log.child({ product: p.name }),
        settings: p.settings?.(config),
      },
    ]),
  );
  const ctxOf = (p: Product) => contexts.get(p)!;
  jobs.register(callbackJob({ db, clock: readOnlyClock }));
  for (const p of products) for (const j of p.jobs?.(ctxOf(p)) ?? []) jobs.register(j);
  for (const p of products) for (const e of p.events ?? []) registry.register(e, ctxOf(p));
  // Retention: the platform's tables and the products', hourly from now (retention-job.ts).
  jobs.register(
    retentionJob({
      db,
      clock: readOnlyClock,
      jobs,
      log: log.child({ component: "retention" }),
      rules: [eventLogRetention, finishedTaskRetention, ...products.flatMap((p) => p.retention ?? [])],
      days: { events: config.eventRetentionDays, tasks: config.taskRetentionDays, roomLogs: config.roomLogRetentionDays },
    }),
  );
  // The account, then the work due at start, in that order, once the database is open; the
  // routes are registered meanwhile and the listeners open only after (setUp is awaited).
  const setUp = (async () => {
    const boot = await bootstrap(db, tenancy, config);
    startMark("server: account bootstrapped");
    await scheduleRetention({ jobs }, clock.now());
    for (const p of products) await p.start?.(ctxOf(p));
    return boot;
  })();
  setUp.catch(() => {}); // as above
  // Media servers (src/sources): they feed the LCIC and GME of their apps, with those products' contexts.
  const productCtx = (name: string) => {
    const p = products.find((x) => x.name === name);
    return p ? ctxOf(p) : undefined;
  };
  const sources = createSources({
    db,
    clock: readOnlyClock,
    jobs: enqueueOnly,
    log: log.child({ component: "sources" }),
    tenancy,
    appById: (appId) => tenancy.app(appId),
    feeds: { lcic: productCtx("lcic"), gme: productCtx("gme") },
  });
  for (const j of sources.jobs) jobs.register(j);
  const rateLimit = new TencentRateLimit(config.rateLimitPerSecond, config.rateLimitOverrides, poolOf(db));

  // dataDir is null in in-memory mode: the CA is then made for this process only.
  // Loaded only with --tls: node-forge, its certificate library, is not for every start.
  const tls = config.tls && (await import("./tls/server-tls.ts")).serverTls({ ...config.tls, dataDir: config.dataDir, host: config.host });
  // Every listener bounds headers, whole requests and pauses within a body (listener-timeouts.ts).
  const timeouts = serverTimeouts(config);
  // Tencent GET requests may carry up to 32 KB of query string (reference §1), beyond Node's
  // default 16 KB header limit: the gateway answers RequestSizeLimitExceeded itself.
  const listenerOptions = { maxHeaderSize: 64 * 1024, ...timeouts };
  const httpsOptions = tls ? { key: tls.key, cert: tls.cert, ...listenerOptions } : null;
  // node:https (and the node:tls under it) only with --tls: Node compiles a built-in at its
  // first load, a few ms of every start for a module an HTTP listener never uses.
  const createHttpsServer = tls ? (await import("node:https")).createServer : null;
  // The Tencent gateway serves its path ("/") from node:http's request, before Fastify (its
  // file says why); every other path goes to Fastify's handler.
  const gateway = tencentGateway({
    tenancy,
    metrics,
    rateLimit,
    regions: config.tencentRegions,
    services: products.flatMap((p) => (p.tencent ? [{ service: p.tencent, ctx: ctxOf(p) }] : [])),
    bodyIdleTimeoutMs: config.bodyIdleTimeoutMs,
    log,
  });
  // Once Fastify closes, "/" goes to Fastify too: it answers 503 with `Connection: close` on a
  // connection kept alive into the shutdown (return503OnClosing), as it did when "/" was its route.
  let fastifyClosing = false;
  const serverFactory = (fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void): Server => {
    const handler = (req: IncomingMessage, res: ServerResponse) =>
      !fastifyClosing && gateway.serves(req.url ?? "") ? gateway.serve(req, res) : fastifyHandler(req, res);
    const server =
      httpsOptions && createHttpsServer ? createHttpsServer(httpsOptions, handler) : createHttpServer(listenerOptions, handler);
    // What Fastify sets on the servers it makes itself (its keep-alive default, 72 s).
    server.keepAliveTimeout = 72_000;
    return server;
  };
  const app = Fastify({
    // Only for Fastify's own "listening at https://" log: the server is serverFactory's.
    ...(httpsOptions ? { https: httpsOptions } : {}),
    serverFactory: serverFactory as never, // its type is generic over the server; ours is the plain HTTP(S) one
    requestTimeout: timeouts.requestTimeout,
    loggerInstance: log as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    // Request logs (at info) carry reqId, which is the RequestId of every protocol's answer.
    bodyLimit: config.ingestBodyLimit,
    // Past that, an undecodable URL and an over-long path parameter: each protocol's envelope.
    frameworkErrors: frameworkErrors as never, // its type is generic over the server; ours is the plain HTTP(S) one
    clientErrorHandler: clientErrorHandler as never,
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  // So that a header overflow is answered in the envelope of its path (framework-errors.ts).
  trackRequestStarts(app.server);
  guardBodyIdle(app, config.bodyIdleTimeoutMs);
  app.addHook("preClose", (done) => {
    fastifyClosing = true;
    done();
  });
  closeIdleWhileClosing(app, timeouts.headersTimeout);
  await app.register(swagger, {
    openapi: {
      info: {
        title: "roomledger native APIs",
        version: "1",
        description:
          "The ingest API and the worker agent protocol. The cloud APIs (Tencent Cloud API 3.0 at `/`, " +
          "Huawei SparkRTC at `/v1/...`) follow their vendors' documentation and are not repeated here.",
      },
      components: {
        securitySchemes: {
          ingestKey: {
            type: "http",
            scheme: "bearer",
            description: "per-app ingest key (roomledger ingest-keys create)",
          },
          workerCredential: {
            type: "http",
            scheme: "bearer",
            description:
              "worker credential rlwk_… of one app and task kinds (roomledger worker-credentials create); the agent protocol " +
              "takes no ingest key",
          },
          browserToken: {
            type: "http",
            scheme: "bearer",
            description:
              "browser upload token rlbt1.… for one RTC room and user (roomledger/browser-tokens, roomledger browser-token mint)",
          },
        },
      },
    },
  });
  // Swagger UI at /docs, made at its first request (lazy-docs.ts).
  lazyDocs(app, "/docs");
  // Ready only once both listeners are up and the ports are written (a supervisor or a test
  // that polls it may then read them from the data directory); 503 before.
  let ready = false;
  const served = products.map((p) => p.name);
  app.get("/healthz", { schema: { hide: true } }, async (_req, reply) => {
    if (!ready) return reply.code(503).send({ status: "starting", version: VERSION });
    await db.query("select 1");
    return {
      status: "ok",
      version: VERSION,
      node: process.versions.node,
      storage: db.capabilities.name,
      inMemory: config.inMemory,
      dev: config.dev,
      products: served,
    };
  });
  app.get("/metrics", { schema: { hide: true } }, async (_req, reply) =>
    reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  const kit: NativeKit = { tenancy, metrics, bodyLimit: config.ingestBodyLimit };
  await app.register(ingestRoutes, { prefix: "/ingest/v1", registry, kit });
  await app.register(sourceRoutes, {
    prefix: "/ingest/v1",
    db,
    attendance: sources.attendance,
    tenancy,
    bodyLimit: config.ingestBodyLimit,
    registry: metrics.registry,
    clock: readOnlyClock,
    rtc: productCtx("rtc") as ProductContext<any> | undefined,
  });
  const kinds = new Map<string, MountedKind>();
  for (const p of products) for (const k of p.agentKinds ?? []) kinds.set(k.kind, { kind: k, ctx: ctxOf(p) });
  await app.register(agentRoutes, { prefix: "/agent/v1", db, clock, tenancy, kinds, leaseMs: config.agentLeaseMs });
  await mountHuawei(app, products, ctxOf, { db, tenancy, rateLimitPerSecond: config.huaweiRateLimitPerSecond });
  for (const p of products) for (const route of p.native?.(ctxOf(p)) ?? []) await mountNativeRoute(app, route, kit);
  // The web console (src/console/routes.ts says why on this listener).
  await app.register(consoleRoutes, { prefix: "/console", db, tenancy, clock: readOnlyClock, secure: Boolean(tls) });

  const admin = Fastify({
    loggerInstance: log.child({ listener: "admin" }) as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    requestTimeout: timeouts.requestTimeout,
    http: timeouts,
    clientErrorHandler: clientErrorHandler as never,
    schemaController: { compilersFactory: lazySchemaCompilers() },
  });
  guardBodyIdle(admin, config.bodyIdleTimeoutMs);
  closeIdleWhileClosing(admin, timeouts.headersTimeout);
  await admin.register(adminRoutes, {
    prefix: "/admin/v1",
    db,
    clock,
    jobs,
    tenancy,
    dev: config.dev,
    resettable: config.dev || config.inMemory,
    products: products
      .map((p) => ({
        name: p.name,
        forApps: !p.devOnly,
        appAlone: p.appAlone,
        routes: p.adminRoutes ? (scope: FastifyInstance) => p.adminRoutes!(scope, ctxOf(p)) : undefined,
      }))
      .concat(
        // Not a product apps are made for: only its routes, at /admin/v1/sources/.
        { name: "sources", forApps: false, appAlone: undefined, routes: sources.adminRoutes },
      ),
    agentKinds: [...kinds.values()].map(({ kind: k }) => ({ kind: k.kind, product: k.product })),
  });

  startMark("server: routes registered");
  let creds: Awaited<typeof setUp>["creds"];
  let created: boolean;
  try {
    await opening;
    ({ creds, created } = await setUp);
  } catch (err) {
    await Promise.allSettled([app.close(), admin.close(), db.close()]);
    throw err;
  }
  try {
    await listen(app, config.host, config.port, "");
    await listen(admin, config.adminHost, config.adminPort, "admin API ");
  } catch (err) {
    await Promise.allSettled([app.close(), admin.close()]);
    await db.close();
    throw err;
  }
  const url = listenUrl(app, config.host, tls ? "https" : "http");
  const adminUrl = listenUrl(admin, config.adminHost);
  const credentials = { ...creds, url, adminUrl };
  // The ports really bound, for the admin commands: written once both listeners are up.
  if (!config.inMemory) writeCredentials(config.dataDir, credentials);
  ready = true;
  startMark("server: listening");
  jobs.start(STARTUP_JOBS_AFTER_MS);
  // Leases are wall-clock: a worker that stops heartbeating loses its task after leaseMs
  // (counted from this start at the earliest: the outage is not the workers' fault).
  await graceLeasesAtStart(db, config.agentLeaseMs);
  const sweeper = repeat(
    config.agentSweepMs,
    async () => {
      if (kinds.size > 0) await sweepExpiredLeases(db, clock, kinds);
    },
    (err) => log.error({ err }, "lease sweep failed"),
  );
  // Credential revocations made by other instances on one PostgreSQL reach this one's caches
  // within the poll (tenancy/revocations.ts); on PGlite there is no other instance.
  if (db.capabilities.multiProcess) await tenancy.revocations.poll();
  const revocationPoller = db.capabilities.multiProcess
    ? repeat(
        config.revocationPollMs,
        () => tenancy.revocations.poll(),
        (err) => log.error({ err }, "credential revocation poll failed"),
      )
    : null;
  // PGlite has no autovacuum: the server applies its rule every 10 minutes of wall time.
  const vacuumer = db.vacuumDue
    ? repeat(
        VACUUM_EVERY_MS,
        async () => {
          const tables = await db.vacuumDue!();
          if (tables.length > 0) log.info({ tables }, "storage: vacuumed (PGlite has no autovacuum)");
        },
        (err) => log.error({ err }, "storage: vacuum failed"),
      )
    : null;

  let closing: Promise<void> | null = null;
  return {
    url,
    adminUrl,
    credentials,
    firstStart: created,
    platform,
    tls,
    close() {
      // Stop taking requests and let those in flight finish, then the jobs, then storage.
      closing ??= (async () => {
        const maintenance = [sweeper.stop(), vacuumer?.stop(), revocationPoller?.stop()];
        await Promise.allSettled([app.close(), admin.close()]);
        await jobs.stop();
        await Promise.all(maintenance);
        await db.close();
      })();
      return closing;
    },
  };
}

/** One Huawei gateway at /v1 for every product's Huawei routes (a second product adds routes, not a gateway). */
async function mountHuawei(
  app: FastifyInstance,
  products: readonly Product[],
  ctxOf: (p: Product) => ProductContext<any>,
  opts: { db: Platform["db"]; tenancy: Tenancy; rateLimitPerSecond: number },
): Promise<void> {
  const routes: HuaweiRoute[] = [];
  let tokens: HuaweiTokenVerifier | null = null;
  for (const p of products) {
    const api = p.huawei?.(ctxOf(p));
    if (!api) continue;
    routes.push(...api.routes);
    if (api.tokens) {
      if (tokens) throw new Error(`a second product (${p.name}) issues Huawei tokens`);
      tokens = api.tokens;
    }
  }
  if (routes.length > 0) await app.register(huaweiGateway, { prefix: "/v1", ...opts, routes, tokens });
}

/**
 * Runs task every `ms` of wall time (not keeping the process alive), never two runs at once,
 * errors to onError. stop() cancels the timer and resolves once a run in progress is over.
 */
function repeat(ms: number, task: () => Promise<void>, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= task()
      .catch(onError)
      .finally(() => (running = null));
  }, ms);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return running ?? Promise.resolve();
    },
  };
}

async function listen(app: FastifyInstance, host: string, port: number, what: string): Promise<void> {
  try {
    await app.listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE"
        ? "the port is in use"
        : code === "EACCES"
          ? "permission denied"
          : code === "EADDRNOTAVAIL" || code === "ENOTFOUND"
            ? "no such address on this machine"
            : (err as Error).message;
    throw new ListenError(`cannot listen on ${what}${host.includes(":") ? `[${host}]` : host}:${port}: ${why}`);
  }
}

function listenUrl(app: FastifyInstance, host: string, scheme = "http"): string {
  const addr = app.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const h = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `${scheme}://${h}:${port}`;
}
