// The admin API: key pairs, apps, ingest keys, and (development only) the domain clock.
// It listens on loopback unless configured otherwise, and takes an admin token.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { Db } from "../../storage/db.ts";
import type { SystemClock } from "../../time/clock.ts";
import type { JobQueue } from "../../jobs/queue.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { nativeErrorHandler } from "../native/render.ts";
import { getCallbackSetting, setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { resetRoute } from "./reset.ts";
import { credentialRoutes, type AdminAgentKind } from "./credentials.ts";

const productName = (names: readonly string[]) => Type.Union(names.map((p) => Type.Literal(p)));

const createApp = (names: readonly string[]) =>
  Type.Object(
    {
      products: Type.Array(productName(names), { minItems: 1, maxItems: names.length }),
      name: Type.Optional(Type.String({ maxLength: 128 })),
      accountId: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  );
const CreateIngestKey = Type.Object({ appId: Type.String() }, { additionalProperties: false });
const CreateKey = Type.Object({ accountId: Type.Optional(Type.String()) }, { additionalProperties: false });
const CreateAccount = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
const setCallback = (names: readonly string[]) =>
  Type.Object(
    {
      appId: Type.String(),
      product: productName(names),
      url: Type.Optional(Type.String({ maxLength: 1024, pattern: "^(https?://.+)?$" })),
      key: Type.Optional(Type.String({ maxLength: 64 })),
    },
    { additionalProperties: false },
  );
const Advance = Type.Object({ seconds: Type.Number({ minimum: 0, maximum: 10 * 365 * 86400 }) }, { additionalProperties: false });

/** A product as the admin API sees it (from the registry, through server.ts). */
export interface AdminProduct {
  name: string;
  /** Apps can be created for it (development-only products cannot). */
  forApps: boolean;
  /** An app of it carries no other product. */
  appAlone?: boolean;
  /** Its routes under /admin/v1/<name>/. */
  routes?: (scope: FastifyInstance) => void | Promise<void>;
}

export interface AdminOptions {
  db: Db;
  clock: SystemClock;
  jobs: JobQueue;
  tenancy: Tenancy;
  dev: boolean;
  /** The server may be emptied by POST /reset: development or in-memory only. */
  resettable: boolean;
  products: readonly AdminProduct[];
  /** The agent task kinds the products declare (worker credentials name them). */
  agentKinds?: readonly AdminAgentKind[];
}

export async function adminRoutes(
  app: FastifyInstance,
  { db, tenancy, clock, jobs, dev, resettable, products, agentKinds = [] }: AdminOptions,
): Promise<void> {
  const names = products.filter((p) => p.forApps).map((p) => p.name);
  const CreateApp = createApp(names);
  const SetCallback = setCallback(names);
  app.setErrorHandler(nativeErrorHandler);

  app.addHook("onRequest", async (req: FastifyRequest) => {
    const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ""));
    if (!m || !(await tenancy.checkAdminToken(m[1]!))) {
      throw new ApiError("Unauthorized", { message: "an admin token is required as `Authorization: Bearer <token>`", httpStatus: 401 });
    }
  });

  const defaultAccount = async (id?: string) => {
    const account = id ? await tenancy.account(id) : (await tenancy.accounts())[0];
    if (!account) throw new ApiError("NotFound", { message: `no account ${id ?? ""}`, httpStatus: 404 });
    return account;
  };

  app.post<{ Body: Static<typeof CreateAccount> }>("/accounts", { schema: { body: CreateAccount } }, async (req) => {
    const account = await tenancy.createAccount(req.body.name, db);
    const key = await tenancy.createKey(account.accountId, undefined, db);
    return { ...account, ...key };
  });

  app.get("/accounts", async () => ({ accounts: await tenancy.accounts() }));

  app.post<{ Body: Static<typeof CreateKey> }>("/keys", { schema: { body: CreateKey } }, async (req) => {
    const account = await defaultAccount(req.body?.accountId);
    return { accountId: account.accountId, ...(await tenancy.createKey(account.accountId, undefined, db)) };
  });

  app.post<{ Body: Static<typeof CreateApp> }>("/apps", { schema: { body: CreateApp } }, async (req) => {
    const account = await defaultAccount(req.body.accountId);
    const alone = products.find((p) => p.appAlone && req.body.products.includes(p.name));
    if (alone && req.body.products.length > 1) {
      // TRRO's message: its ProjectId is the app id, and a project is nothing else.
      throw new ApiError("BadRequest", { message: `a ${alone.name.toUpperCase()} project is an app of its own`, httpStatus: 400 });
    }
    return tenancy.createApp(account.accountId, [...new Set(req.body.products)], req.body.name ?? "", db);
  });

  app.get<{ Querystring: { accountId?: string } }>("/apps", async (req) => {
    const account = await defaultAccount(req.query.accountId);
    return { apps: await tenancy.appsOf(account.accountId) };
  });

  app.post<{ Body: Static<typeof CreateIngestKey> }>("/ingest-keys", { schema: { body: CreateIngestKey } }, async (req) => {
    const target = await tenancy.app(req.body.appId);
    if (!target) throw new ApiError("NotFound", { message: `no app ${req.body.appId}`, httpStatus: 404 });
    return { appId: target.appId, ...(await tenancy.createIngestKey(target.appId)) };
  });

  // Worker credentials; listing and revocation of every credential kind (credentials.ts).
  await app.register(async (scope) => credentialRoutes(scope, { tenancy, agentKinds }));

  // Callback URL and key of an app's product (LCIC has no API for it: the console sets it).
  app.post<{ Body: Static<typeof SetCallback> }>("/callbacks", { schema: { body: SetCallback } }, async (req) => {
    const target = await tenancy.app(req.body.appId);
    if (!target) throw new ApiError("NotFound", { message: `no app ${req.body.appId}`, httpStatus: 404 });
    await setCallbackSetting(db, target.appId, req.body.product, { url: req.body.url, key: req.body.key });
    return { appId: target.appId, product: req.body.product, ...(await getCallbackSetting(db, target.appId, req.body.product)) };
  });

  app.get("/clock", async () => ({ now: clock.now(), advanceable: clock.advanceable }));

  if (dev) {
    // Development only: move domain time forward, then run whatever became due.
    app.post<{ Body: Static<typeof Advance> }>("/clock/advance", { schema: { body: Advance } }, async (req) => {
      const now = clock.advance(Math.round(req.body.seconds * 1000));
      await jobs.drain();
      return { now };
    });
    app.post("/jobs/drain", async () => {
      await jobs.drain();
      return { drained: true };
    });
  }

  // Never on a production ledger: only a development or in-memory one can be emptied.
  if (resettable) await resetRoute(app, { db, tenancy, allowed: resettable });

  for (const product of products) {
    const routes = product.routes;
    if (routes) await app.register(async (scope) => routes(scope), { prefix: `/${product.name}` });
  }
}
