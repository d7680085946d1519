// Huawei Cloud's API gateway, as far as a client can observe it: routes under /v1, AK/SK
// (SDK-HMAC-SHA256, or its derived V11-HMAC-SHA256) or X-Auth-Token authentication, the
// project of the path checked against the credential's account, a per-credential rate
// limit, X-Request-Id on every answer, and errors as {error_code, error_msg}. It knows no
// product: products hand it their routes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { type ApiError, isApiError } from "../../errors/api-error.ts";
import type { Db } from "../../storage/db.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import type { HuaweiCaller, HuaweiRoute, HuaweiTokenVerifier } from "./route.ts";
import { huaweiGatewayErrors as E } from "./errors.ts";
import { boundaryViolation, describeViolation } from "../boundary.ts";
import { lazyLimiter, poolOf } from "../shared-limiter.ts";
import {
  canonicalRequest,
  decodeQuery,
  derivedSigningKey,
  parseAuthorization,
  parseSdkDate,
  payloadHashOf,
  sameSignature,
  signature,
  stringToSign,
} from "./signature.ts";

/** The gateway accepts X-Sdk-Date within 15 minutes of its wall clock, either direction. */
export const SDK_DATE_WINDOW_MS = 15 * 60 * 1000;

/**
 * Huawei locks an AK for 5 minutes after 5 consecutive failed verifications (wrong
 * signature or expired X-Sdk-Date; reference §3.3): meanwhile even a good signature gets
 * 401 "AK access failed to reach the limit,forbidden". A success clears the count. Counted
 * in memory on wall time, per server instance: on PostgreSQL, N instances allow 5 per instance.
 */
export const AK_LOCK_FAILURES = 5;
export const AK_LOCK_SECONDS = 300;

export interface HuaweiGatewayOptions {
  db: Db;
  tenancy: Tenancy;
  routes: readonly HuaweiRoute[];
  /** Null when no product issues tokens: every X-Auth-Token is then unknown. */
  tokens: HuaweiTokenVerifier | null;
  /** Requests per second per credential and API; 0 disables. Huawei's default is 200. */
  rateLimitPerSecond: number;
}

/** Huawei's request ids are 32 hex digits: the request's UUID without dashes. */
const requestIdOf = (req: FastifyRequest): string => String(req.id).replace(/-/g, "");

export function sendHuaweiError(reply: FastifyReply, requestId: string, err: ApiError): FastifyReply {
  const body: Record<string, string> = { error_code: err.code, error_msg: err.message };
  if (err.code.startsWith("APIGW.")) body.request_id = requestId;
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.httpStatus).header("content-type", "application/json").send(body);
}

/** Register with `{ prefix: "/v1" }`. */
export async function huaweiGateway(app: FastifyInstance, opts: HuaweiGatewayOptions): Promise<void> {
  const { tenancy, tokens } = opts;
  // Both shared by the instances on one PostgreSQL (shared-limiter.ts).
  const pool = poolOf(opts.db);
  const limiter = opts.rateLimitPerSecond > 0 ? lazyLimiter(pool, { keyPrefix: "hw", points: opts.rateLimitPerSecond, duration: 1 }) : null;
  // points = failures - 1: the failure that exceeds them starts the block (of AK_LOCK_SECONDS).
  const akFailures = lazyLimiter(pool, {
    keyPrefix: "hwak",
    points: AK_LOCK_FAILURES - 1,
    duration: AK_LOCK_SECONDS,
    blockDuration: AK_LOCK_SECONDS,
  });

  app.addHook("onRequest", async (req, reply) => {
    reply.header("X-Request-Id", requestIdOf(req));
  });
  app.setNotFoundHandler((req, reply) => sendHuaweiError(reply, requestIdOf(req), E.apiNotFound()));
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (isApiError(err)) return sendHuaweiError(reply, requestIdOf(req), err);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendHuaweiError(reply, requestIdOf(req), E.badRequest(err.message));
    }
    req.log.error({ err, requestId: requestIdOf(req) }, "unexpected error behind the Huawei gateway");
    return sendHuaweiError(reply, requestIdOf(req), E.internal());
  });

  for (const route of opts.routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (req, reply) => {
        const requestId = requestIdOf(req);
        const { rawPath, rawQuery } = splitUrl(req.url);
        let query: [string, string][];
        try {
          query = decodeQuery(rawQuery);
        } catch {
          throw E.badRequest("the query string is not correctly percent-encoded");
        }
        const params = (req.params ?? {}) as Record<string, string>;
        const caller = await authenticate(req, tokens, tenancy, await akFailures(), rawPath, query);
        // The project of the path must be the credential's (and X-Project-Id, when sent, too).
        const projectHeader = header(req, "x-project-id");
        if (params.project_id !== undefined && params.project_id !== caller.account.huaweiProjectId) throw E.projectNotAuthorized();
        if (projectHeader !== undefined && projectHeader !== caller.account.huaweiProjectId) throw E.projectNotAuthorized();
        // The boundary rule (boundary.ts) on every query and path parameter, in the gateway's
        // own error: no route sees a NUL or a lone surrogate.
        const violation =
          boundaryViolation(params, "path") ?? boundaryViolation(Object.fromEntries(query.map(([k, v], i) => [k || String(i), v])));
        if (violation) throw E.badRequest(describeViolation(violation, "parameter"));
        if (limiter) {
          try {
            await (await limiter()).consume(`${caller.credentialId}:${route.name}`);
          } catch (res) {
            if (res instanceof RateLimiterRes) throw E.throttled(opts.rateLimitPerSecond);
            throw res;
          }
        }
        const result = await route.handler({ caller, params, query, requestId });
        return reply.code(200).header("content-type", "application/json").send(result);
      },
    });
  }
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const i = url.indexOf("?");
  return i < 0 ? { rawPath: url, rawQuery: "" } : { rawPath: url.slice(0, i), rawQuery: url.slice(i + 1) };
}

async function authenticate(
  req: FastifyRequest,
  tokens: HuaweiTokenVerifier | null,
  tenancy: Tenancy,
  akFailures: RateLimiterAbstract,
  rawPath: string,
  query: [string, string][],
): Promise<HuaweiCaller> {
  const authorization = header(req, "authorization");
  const token = header(req, "x-auth-token");
  // A signed request wins when both are present, as AK/SK is what the SDKs send.
  if (authorization !== undefined) return akSk(req, tenancy, akFailures, authorization, rawPath, query);
  if (token === undefined || token === "") throw E.noCredentials();
  const found = tokens ? await tokens.verify(token) : null;
  if (!found) throw E.unknownToken();
  // Token lifetimes are credentials, like the signature window: wall clock.
  if (found.expiresAt <= Date.now()) throw E.tokenExpired(found.expiresAt);
  return { account: found.account, method: "token", credentialId: `token:${found.account.accountId}` };
}

async function akSk(
  req: FastifyRequest,
  tenancy: Tenancy,
  akFailures: RateLimiterAbstract,
  authorization: string,
  rawPath: string,
  query: [string, string][],
): Promise<HuaweiCaller> {
  const auth = parseAuthorization(authorization);
  if (!auth) throw E.badAuthorization();
  if (!auth.signedHeaders.includes("host")) throw E.unsignedRequiredHeader("host");
  if (!auth.signedHeaders.includes("x-sdk-date")) throw E.unsignedRequiredHeader("x-sdk-date");
  const sdkDate = header(req, "x-sdk-date") ?? "";
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === null) throw E.missingSdkDate();
  // The derived scope's day is the signing day. Its region and service are taken as signed:
  // one roomledger is every region, and the key derived from them is checked below.
  if (auth.scope !== undefined && !auth.scope.startsWith(sdkDate.slice(0, 8))) throw E.scopeDate(auth.scope, sdkDate);
  const key = await tenancy.findKey(auth.accessKey);
  if (!key) throw E.unknownAccessKey();
  const failures = (await akFailures.get(auth.accessKey))?.consumedPoints ?? 0;
  if (failures >= AK_LOCK_FAILURES) throw E.accessKeyLocked();
  const fail = async (err: ApiError): Promise<never> => {
    await akFailures.consume(auth.accessKey).catch((res: unknown) => {
      if (!(res instanceof RateLimiterRes)) throw res;
    });
    throw err;
  };
  // The signature window is wall time, never the (movable) domain clock.
  if (Math.abs(Date.now() - signedAt) > SDK_DATE_WINDOW_MS) return fail(E.signatureExpired());
  const headers: Record<string, string> = {};
  for (const h of auth.signedHeaders) headers[h] = header(req, h) ?? "";
  const body = Buffer.isBuffer(req.body) ? req.body : typeof req.body === "string" ? Buffer.from(req.body) : null;
  const canonical = canonicalRequest({
    method: req.method,
    rawPath,
    pairs: query,
    signedHeaders: auth.signedHeaders,
    headers,
    payloadHash: header(req, "x-sdk-content-sha256") ?? payloadHashOf(body),
    sdkDate,
  });
  const signingKey = auth.scope === undefined ? key.secretKey : derivedSigningKey(auth.accessKey, key.secretKey, auth.scope);
  if (!sameSignature(signature(signingKey, stringToSign(sdkDate, canonical, auth.scope)), auth.signature)) {
    return fail(E.signatureMismatch(canonical));
  }
  if (failures > 0) await akFailures.delete(auth.accessKey);
  return { account: key.account, method: "aksk", credentialId: `ak:${auth.accessKey}` };
}
