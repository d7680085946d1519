// Admin API for credentials (issue 16 items 4 and 7): worker credentials, and the listing and
// revocation of key pairs, ingest keys and admin tokens. (Huawei X-Auth-Tokens and TRRO device
// tokens are revoked through their products' admin routes, /rtc/tokens/revoke and
// /trro/projects/:id/devices/:id/revoke-token.) A revoked credential is refused at once on this
// instance and within the revocation poll on every other one sharing the database
// (tenancy/revocations.ts); revoking an unknown or already revoked one is a 404.
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { boundaryViolation, describeViolation } from "../boundary.ts";
import { nativeErrorHandler } from "../native/render.ts";

/** An agent task kind as the admin API sees it: its name and the product whose apps run it. */
export interface AdminAgentKind {
  kind: string;
  product: string;
}

const AppId = Type.String({ minLength: 1, maxLength: 64 });
const CreateWorker = Type.Object(
  {
    appId: AppId,
    kinds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 32 }),
    label: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);
const RevokeWorker = Type.Object(
  { appId: AppId, credentialId: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const RevokeKey = Type.Object({ secretId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
const RevokeIngestKey = Type.Object(
  {
    appId: AppId,
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
const CreateAdminToken = Type.Object({ label: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false });
const RevokeAdminToken = Type.Object({ token: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });

const notFound = (message: string) => new ApiError("NotFound", { message, httpStatus: 404 });
const badRequest = (message: string) => new ApiError("BadRequest", { message, httpStatus: 400 });
const conflict = (message: string) => new ApiError("Conflict", { message, httpStatus: 409 });

export async function credentialRoutes(
  app: FastifyInstance,
  { tenancy, agentKinds }: { tenancy: Tenancy; agentKinds: readonly AdminAgentKind[] },
): Promise<void> {
  app.setErrorHandler(nativeErrorHandler);
  // The boundary rule (boundary.ts) on these routes' bodies and queries: a NUL or a lone
  // surrogate never reaches a credential lookup (PostgreSQL refuses NUL with an error).
  app.addHook("preValidation", async (req) => {
    const violation = boundaryViolation(req.query, "query") ?? boundaryViolation(req.body);
    if (violation) throw badRequest(describeViolation(violation));
  });
  const appOf = async (appId: string) => {
    const target = await tenancy.app(appId);
    if (!target) throw notFound(`no app ${appId}`);
    return target;
  };

  app.post<{ Body: Static<typeof CreateWorker> }>("/worker-credentials", { schema: { body: CreateWorker } }, async (req) => {
    const target = await appOf(req.body.appId);
    for (const name of req.body.kinds) {
      const kind = agentKinds.find((k) => k.kind === name);
      const known = agentKinds.map((k) => k.kind).join(", ");
      if (!kind) throw badRequest(`unknown task kind '${name}' (kinds: ${known})`);
      if (!target.products.includes(kind.product))
        throw badRequest(`app ${target.appId} does not have product '${kind.product}' (kind '${name}')`);
    }
    return tenancy.workers.create(target.appId, req.body.kinds, req.body.label ?? "");
  });

  app.get<{ Querystring: { appId?: string } }>("/worker-credentials", async (req) => {
    if (!req.query.appId) throw badRequest("appId is required");
    const target = await appOf(req.query.appId);
    return { appId: target.appId, credentials: await tenancy.workers.list(target.appId) };
  });

  app.post<{ Body: Static<typeof RevokeWorker> }>("/worker-credentials/revoke", { schema: { body: RevokeWorker } }, async (req) => {
    const revoked = await tenancy.workers.revoke(req.body.appId, req.body.credentialId);
    if (!revoked) throw notFound(`no live worker credential ${req.body.credentialId} of app ${req.body.appId}`);
    return revoked;
  });

  app.get<{ Querystring: { accountId?: string } }>("/keys", async (req) => {
    const account = req.query.accountId ? await tenancy.account(req.query.accountId) : (await tenancy.accounts())[0];
    if (!account) throw notFound(`no account ${req.query.accountId ?? ""}`);
    return { accountId: account.accountId, keys: await tenancy.keysOf(account.accountId) };
  });

  app.post<{ Body: Static<typeof RevokeKey> }>("/keys/revoke", { schema: { body: RevokeKey } }, async (req) => {
    if (!(await tenancy.revokeKey(req.body.secretId))) throw notFound(`no live key pair ${req.body.secretId}`);
    return { secretId: req.body.secretId, revoked: true };
  });

  app.get<{ Querystring: { appId?: string } }>("/ingest-keys", async (req) => {
    if (!req.query.appId) throw badRequest("appId is required");
    const target = await appOf(req.query.appId);
    return { appId: target.appId, keys: await tenancy.ingestKeysOf(target.appId) };
  });

  app.post<{ Body: Static<typeof RevokeIngestKey> }>("/ingest-keys/revoke", { schema: { body: RevokeIngestKey } }, async (req) => {
    const { appId, key, prefix } = req.body;
    if ((key === undefined) === (prefix === undefined)) throw badRequest("give either key or prefix");
    const target = await appOf(appId);
    const n = await tenancy.revokeIngestKey(target.appId, { key, prefix });
    if (n < 0) throw conflict(`more than one live ingest key of app ${target.appId} has prefix ${prefix}: give the key itself`);
    if (n === 0) throw notFound(`no live ingest key of app ${target.appId} ${key === undefined ? `with prefix ${prefix}` : "is that key"}`);
    return { appId: target.appId, revoked: n };
  });

  app.post<{ Body: Static<typeof CreateAdminToken> }>("/admin-tokens", { schema: { body: CreateAdminToken } }, async (req) => ({
    token: await tenancy.createAdminToken(req.body?.label ?? ""),
  }));

  app.post<{ Body: Static<typeof RevokeAdminToken> }>("/admin-tokens/revoke", { schema: { body: RevokeAdminToken } }, async (req) => {
    const outcome = await tenancy.revokeAdminToken(req.body.token);
    if (outcome === "unknown") throw notFound("no such live admin token");
    if (outcome === "last") throw conflict("this is the last live admin token: create another one first");
    return { revoked: true };
  });
}
