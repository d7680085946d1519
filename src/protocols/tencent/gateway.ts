// The Tencent Cloud API 3.0 gateway: one endpoint at "/", GET and POST, TC3-HMAC-SHA256 and
// the older v1 signatures, dispatch by (Version, Action), per-action validation, the rate
// limit, and the envelope. It knows no product: products hand it their TencentService.
//
// It serves its path from node:http's request and response, before Fastify (server.ts hands
// it every request for "/"): the one endpoint needs none of Fastify's per-request machinery
// (routing, hooks, content-type parsers, the reply, a child logger), which cost about as much
// as the gateway's own checks (issue 22). What Fastify did for it is done here: the request
// id, the body (read-body.ts, with the listener's body-idle bound), the error answer, the
// request log at info. The listener's header, request and header-overflow bounds are the
// server's own (listener-timeouts.ts, framework-errors.ts) and apply to it unchanged.
import "../tick-shape.ts";
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { type ApiError, isApiError } from "../../errors/api-error.ts";
import { tencentErrors as E } from "../../errors/tencent-common.ts";
import type { ProductContext } from "../../product-context.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import type { Metrics } from "../../observability/metrics.ts";
import type { Account } from "../../tenancy/accounts.ts";
import type { ActionContext, Language, TencentAction, TencentService } from "./action.ts";
import { type EnvelopeBody, errorBody, resultBody, sendEnvelope } from "./envelope.ts";
import { unflatten } from "./form-params.ts";
import type { TencentRateLimit } from "./rate-limit.ts";
import { regionCheck, type RegionSettings, type RegionSource } from "./regions.ts";
import { parseTc3Authorization, sameSignature, type Tc3Authorization, tc3Signature } from "./signature-tc3.ts";
import { v1Signature, v1StringToSign } from "./signature-v1.ts";
import { validateRequest } from "./validate.ts";
import { readBodyDraining } from "../native/read-body.ts";
import { boundBodyIdle } from "../listener-timeouts.ts";

const SIGNATURE_WINDOW_S = 300;
const TC3_BODY_LIMIT = 10 * 1024 * 1024;
const V1_BODY_LIMIT = 1024 * 1024;
const GET_LIMIT = 32 * 1024;
const NO_BODY = Buffer.alloc(0);

// Common parameters of signature v1 (and what the SDKs add), never business parameters.
const V1_COMMON = new Set([
  "Action",
  "Version",
  "Region",
  "Timestamp",
  "Nonce",
  "SecretId",
  "Signature",
  "SignatureMethod",
  "Token",
  "Language",
  "RequestClient",
]);

interface Call {
  account: Account;
  secretId: string;
  action: string;
  version: string;
  region: string | null;
  /** Where the region was read (the error names it). */
  regionSource: RegionSource;
  params: unknown;
  /** Service named by the credential scope or the Host's first label (informational). */
  service: string;
}

/** One request at "/": what every step reads. */
interface Exchange {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** X-TC-Language, or v1's Language once its parameters are read. */
  language: Language;
}

/** A product's service, with the context its actions are called with. */
export interface MountedService {
  service: TencentService;
  ctx: ProductContext<any>;
}

export interface GatewayOptions {
  tenancy: Tenancy;
  metrics: Metrics;
  services: readonly MountedService[];
  rateLimit: TencentRateLimit;
  /** Regions served beyond the cloud's own (regions.ts); absent: the cloud's own only. */
  regions?: RegionSettings;
  /** The listener's body-idle bound (listener-timeouts.ts); 0: none. */
  bodyIdleTimeoutMs: number;
  log: Logger;
}

export interface TencentGateway {
  /** The gateway's path: "/", with or without a query. */
  serves(url: string): boolean;
  /** Answers one request (any method) at the gateway's path. */
  serve(req: IncomingMessage, res: ServerResponse): void;
}

export function tencentGateway(opts: GatewayOptions): TencentGateway {
  const byVersion = new Map<string, { service: TencentService; ctx: ProductContext<any>; actions: Map<string, TencentAction> }>();
  for (const { service: s, ctx } of opts.services) {
    if (byVersion.has(s.version)) throw new Error(`two services share version ${s.version}`);
    byVersion.set(s.version, { service: s, ctx, actions: new Map(s.actions.map((a) => [a.name, a])) });
  }
  const { tenancy, metrics, rateLimit, log, bodyIdleTimeoutMs } = opts;
  const checkRegion = regionCheck(opts.regions ?? { extra: [], any: false });

  /** The action's answer, or its error, as the envelope's body; counted in the metrics. */
  async function answer(x: Exchange, requestId: string, started: number): Promise<EnvelopeBody> {
    let service = "unknown";
    let actionLabel = "unknown";
    let code = "OK";
    try {
      // A known key answers without waiting (no promise, no turn of the microtask queue).
      const authenticated = authenticate(x, tenancy);
      const call = authenticated instanceof Promise ? await authenticated : authenticated;
      service = call.service;
      const entry = byVersion.get(call.version);
      if (!entry) throw E.noSuchVersion(call.version);
      service = entry.service.service;
      const action = entry.actions.get(call.action);
      if (!action) throw E.invalidAction(call.action, entry.service.service, call.version);
      actionLabel = action.name;
      // Before the rate limit: a refused region spends nothing (and cannot widen a budget).
      const badRegion = checkRegion(call.region, call.regionSource);
      if (badRegion) throw badRegion;
      // Without a limit, no limiter call (and no await) on the hot path.
      if (!rateLimit.unlimited(action.name, action.rateLimit)) {
        const verdict = await rateLimit.consume(call.secretId, action.name, action.rateLimit);
        if (!verdict.allowed) throw E.requestLimitExceeded(verdict.count, verdict.limit);
      }
      let input: unknown;
      try {
        input = validateRequest(action.request, call.params ?? {});
      } catch (err) {
        throw isApiError(err) && entry.service.validationError ? entry.service.validationError(err) : err;
      }
      const ctx: ActionContext = {
        ...entry.ctx,
        account: call.account,
        secretId: call.secretId,
        region: call.region,
        language: x.language,
        requestId,
      };
      return resultBody(requestId, await action.handler(input, ctx));
    } catch (err) {
      const apiErr = isApiError(err) ? err : unexpected(err, requestId, "unexpected error in a Tencent action");
      code = apiErr.code;
      return errorBody(requestId, apiErr, x.language);
    } finally {
      metrics.observe("tencent", service, actionLabel, code, (performance.now() - started) / 1e3);
    }
  }

  function unexpected(err: unknown, requestId: string, what: string): ApiError {
    log.error({ err, reqId: requestId }, what);
    return E.internalError();
  }

  function send(req: IncomingMessage, res: ServerResponse, body: EnvelopeBody, requestId: string, started: number, close = false): void {
    sendEnvelope(res, body, first(req.headers["x-tc-traceid"]), close);
    // The request log Fastify writes for its routes (at info, with the RequestId as reqId).
    if (log.isLevelEnabled("info")) {
      const responseTime = performance.now() - started;
      log.info(
        { reqId: requestId, req: { method: req.method, url: req.url }, res: { statusCode: 200 }, responseTime },
        "request completed",
      );
    }
  }

  return {
    serves: (url) => url === "/" || url.startsWith("/?"),
    serve(req, res) {
      const started = performance.now(); // a double: hrtime.bigint() allocates two BigInts per request
      const requestId = randomUUID();
      const x: Exchange = { method: req.method ?? "", url: req.url ?? "/", headers: req.headers, body: NO_BODY, language: "en-US" };
      x.language = pickLanguage(x, null);
      const reply = (): void => {
        answer(x, requestId, started).then(
          (body) => send(req, res, body, requestId, started),
          (err: unknown) =>
            send(
              req,
              res,
              errorBody(requestId, unexpected(err, requestId, "unexpected error in the Tencent gateway"), x.language),
              requestId,
              started,
            ),
        );
      };
      // A GET's body is not read (nor signed), as Fastify did not read it.
      if (x.method === "GET" || x.method === "HEAD") return reply();
      // The raw body is needed for the signature; every content type is read as bytes, an
      // oversized one to its end first (read-body.ts), within the listener's body-idle bound.
      let idle = false;
      boundBodyIdle(
        req,
        req,
        bodyIdleTimeoutMs,
        () => (idle = true),
        (payload) =>
          readBodyDraining(
            payload,
            TC3_BODY_LIMIT,
            () => E.requestSizeLimitExceeded(TC3_BODY_LIMIT),
            (err, body) => {
              if (!err) {
                x.body = body ?? NO_BODY;
                return reply();
              }
              // A body over the limit, one that stopped arriving (408: its message, as the
              // gateway's other request errors) or a failed read; then the connection closes.
              const status = (err as Error & { statusCode?: number }).statusCode;
              const apiErr = isApiError(err)
                ? err
                : status && status < 500
                  ? E.invalidParameterText(err.message)
                  : unexpected(err, requestId, "unexpected error in the Tencent gateway");
              if (!res.destroyed) send(req, res, errorBody(requestId, apiErr, x.language), requestId, started, idle);
            },
          ),
      );
    },
  };
}

// Each header is read by its literal name (`first(headers["x-tc-action"])`), not through a
// header(headers, name) helper: V8 keeps one property-lookup cache per site, and a helper's
// one site, shared by a dozen names, is megamorphic (a generic lookup per read: issue 22).
function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function pickLanguage(x: Exchange, param: string | null): Language {
  const v = first(x.headers["x-tc-language"]) ?? param;
  return v === "zh-CN" ? "zh-CN" : "en-US";
}

/** Region absent, empty, or the literal "null" the intl SDK sends in TC3 mode: no region. */
function regionOf(v: string | undefined): string | null {
  return v === undefined || v === "" || v === "null" ? null : v;
}

function splitUrl(url: string): { path: string; query: string } {
  const i = url.indexOf("?");
  return i < 0 ? { path: url, query: "" } : { path: url.slice(0, i), query: url.slice(i + 1) };
}

// Not async itself: what it refuses it throws, inside answer()'s try, and a TC3 request
// whose key is cached is answered at once; only a key lookup or a v1 request gives a promise
// (each await and each async function's promise is a turn of the microtask queue: issue 22).
function authenticate(x: Exchange, tenancy: Tenancy): Call | Promise<Call> {
  if (x.method !== "GET" && x.method !== "POST") throw E.unsupportedProtocol(x.method);
  const { path, query } = splitUrl(x.url);
  if (query.length > GET_LIMIT) throw E.requestSizeLimitExceeded(GET_LIMIT);
  const body = x.body;
  const authorization = first(x.headers.authorization);
  if (authorization !== undefined) return tc3(x, tenancy, authorization, path, query, body);
  const contentType = (first(x.headers["content-type"]) ?? "").toLowerCase();
  if (x.method === "POST" && contentType.startsWith("application/json")) throw E.invalidAuthorization();
  if (x.method === "POST" && body.length > V1_BODY_LIMIT) throw E.requestSizeLimitExceeded(V1_BODY_LIMIT);
  return v1(x, tenancy, x.method === "GET" ? query : body.toString("utf8"), path);
}

function tc3(x: Exchange, tenancy: Tenancy, authorization: string, path: string, query: string, body: Buffer): Call | Promise<Call> {
  const auth = parseTc3Authorization(authorization);
  if (!auth) throw E.invalidAuthorization();
  const tsHeader = first(x.headers["x-tc-timestamp"]);
  if (tsHeader === undefined) throw E.missingParameter("X-TC-Timestamp");
  if (!/^\d{1,12}$/.test(tsHeader)) throw E.invalidParameter("X-TC-Timestamp");
  const cached = tenancy.cachedKey(auth.secretId);
  if (cached !== undefined) return tc3Verified(x, auth, cached, tsHeader, path, query, body);
  return tenancy.findKey(auth.secretId).then((key) => tc3Verified(x, auth, key, tsHeader, path, query, body));
}

/** The rest of a TC3 request's checks once its key is known (null: no such key), in the order they always ran. */
function tc3Verified(
  x: Exchange,
  auth: Tc3Authorization,
  key: { account: Account; secretKey: string } | null,
  tsHeader: string,
  path: string,
  query: string,
  body: Buffer,
): Call {
  if (!key) throw E.secretIdNotFound();
  const timestamp = Number(tsHeader);
  if (Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_WINDOW_S) throw E.signatureExpire();
  if (!auth.signedHeaders.includes("host") || !auth.signedHeaders.includes("content-type")) throw E.signatureFailure();

  const headers: Record<string, string> = {};
  for (const h of auth.signedHeaders) headers[h] = first(x.headers[h]) ?? "";
  // The service is whatever the credential scope names: the Node SDK signs "127" when
  // pointed at 127.0.0.1 (reference §2.3).
  const input = {
    method: x.method,
    path,
    query,
    headers,
    signedHeaders: auth.signedHeaders,
    payload: x.method === "GET" ? "" : body,
    timestamp,
    service: auth.service,
    secretKey: key.secretKey,
  };
  let ok = sameSignature(tc3Signature(input), auth.signature);
  // The Node SDK signs the host without its port while sending it with the port.
  const host = headers.host ?? "";
  if (!ok && host.includes(":")) {
    ok = sameSignature(tc3Signature({ ...input, headers: { ...headers, host: host.replace(/:\d+$/, "") } }), auth.signature);
  }
  if (!ok) throw E.signatureFailure();

  const action = first(x.headers["x-tc-action"]);
  if (!action) throw E.missingParameter("Action");
  const version = first(x.headers["x-tc-version"]);
  if (!version) throw E.missingParameter("Version");
  let params: unknown;
  const contentType = (first(x.headers["content-type"]) ?? "").toLowerCase();
  if (x.method === "GET") params = unflatten(Object.fromEntries(decodeForm(query)));
  else if (contentType.startsWith("application/json")) params = parseJson(body);
  else if (contentType.startsWith("application/x-www-form-urlencoded")) {
    params = unflatten(Object.fromEntries(decodeForm(body.toString("utf8"))));
  } else throw E.unsupportedContentType(contentType || "(none)");
  return {
    account: key.account,
    secretId: auth.secretId,
    action,
    version,
    region: regionOf(first(x.headers["x-tc-region"])),
    regionSource: "X-TC-Region",
    params,
    service: auth.service,
  };
}

async function v1(x: Exchange, tenancy: Tenancy, form: string, path: string): Promise<Call> {
  const pairs = decodeForm(form);
  const params: Record<string, string> = {};
  for (const [k, v] of pairs) {
    if (k in params) throw E.invalidParameter(k);
    params[k] = v;
  }
  x.language = pickLanguage(x, params.Language ?? null);
  for (const name of ["Action", "SecretId", "Timestamp", "Nonce", "Signature", "Version"]) {
    if (params[name] === undefined || params[name] === "") throw E.missingParameter(name);
  }
  if (!/^\d{1,12}$/.test(params.Timestamp!)) throw E.invalidParameter("Timestamp");
  if (!/^\d{1,20}$/.test(params.Nonce!)) throw E.invalidParameter("Nonce");
  const key = await tenancy.findKey(params.SecretId!);
  if (!key) throw E.secretIdNotFound();
  if (Math.abs(Date.now() / 1000 - Number(params.Timestamp)) > SIGNATURE_WINDOW_S) throw E.signatureExpire();
  // The host in the string to sign includes the port as configured in the SDK's endpoint;
  // accept it with and without the port (reference §3 step 5).
  const host = first(x.headers.host) ?? "";
  const hosts = host.includes(":") ? [host, host.replace(/:\d+$/, "")] : [host];
  const ok = hosts.some((h) =>
    sameSignature(v1Signature(key.secretKey, v1StringToSign(x.method, h, path, params), params.SignatureMethod), params.Signature!),
  );
  if (!ok) throw E.signatureFailure();
  const business: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (!V1_COMMON.has(k)) business[k] = v;
  return {
    account: key.account,
    secretId: params.SecretId!,
    action: params.Action!,
    version: params.Version!,
    region: regionOf(params.Region),
    regionSource: "Region",
    params: unflatten(business),
    service: hostService(host),
  };
}

function hostService(host: string): string {
  return host.split(".")[0] ?? "unknown";
}

function decodeForm(s: string): [string, string][] {
  if (s === "") return [];
  const out: [string, string][] = [];
  for (const part of s.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    // "Url key and value should be splited by `=`." is the real service's text for this.
    if (eq < 0) throw E.invalidParameterText("Url key and value should be splited by `=`.");
    try {
      out.push([decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
    } catch {
      throw E.invalidParameterText(`Url parameter \`${part.slice(0, 64)}\` is not correctly percent-encoded.`);
    }
  }
  return out;
}

const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, " "));

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw E.invalidParameterText("The request body is not valid JSON.");
  }
}
