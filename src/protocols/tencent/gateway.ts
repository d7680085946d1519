// The Tencent Cloud API 3.0 gateway: one endpoint at "/", GET and POST, TC3-HMAC-SHA256 and
// the older v1 signatures, dispatch by (Version, Action), per-action validation, the rate
// limit, and the envelope. It knows no product: products hand it their TencentService.
import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type ApiError, isApiError } from "../../errors/api-error.ts";
import { tencentErrors as E } from "../../errors/tencent-common.ts";
import type { ProductContext } from "../../product-context.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import type { Metrics } from "../../observability/metrics.ts";
import type { Account } from "../../tenancy/accounts.ts";
import type { ActionContext, Language, TencentAction, TencentService } from "./action.ts";
import { sendError, sendResult } from "./envelope.ts";
import { unflatten } from "./form-params.ts";
import type { TencentRateLimit } from "./rate-limit.ts";
import { regionCheck, type RegionSettings, type RegionSource } from "./regions.ts";
import { parseTc3Authorization, sameSignature, tc3Signature } from "./signature-tc3.ts";
import { v1Signature, v1StringToSign } from "./signature-v1.ts";
import { validateRequest } from "./validate.ts";
import { readBodyDraining } from "../native/read-body.ts";

const SIGNATURE_WINDOW_S = 300;
const TC3_BODY_LIMIT = 10 * 1024 * 1024;
const V1_BODY_LIMIT = 1024 * 1024;
const GET_LIMIT = 32 * 1024;

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
}

export async function tencentGateway(app: FastifyInstance, opts: GatewayOptions): Promise<void> {
  const byVersion = new Map<string, { service: TencentService; ctx: ProductContext<any>; actions: Map<string, TencentAction> }>();
  for (const { service: s, ctx } of opts.services) {
    if (byVersion.has(s.version)) throw new Error(`two services share version ${s.version}`);
    byVersion.set(s.version, { service: s, ctx, actions: new Map(s.actions.map((a) => [a.name, a])) });
  }
  const { tenancy, metrics, rateLimit } = opts;
  const checkRegion = regionCheck(opts.regions ?? { extra: [], any: false });

  // The raw body is needed for the signature; every content type is read as bytes here, an
  // oversized one to its end first (see read-body.ts).
  app.removeAllContentTypeParsers();
  const readBody = (_req: FastifyRequest, payload: Readable, done: (err: Error | null, body?: Buffer) => void): void =>
    readBodyDraining(payload, TC3_BODY_LIMIT, () => E.requestSizeLimitExceeded(TC3_BODY_LIMIT), done);
  // The same reader, also named for the two types the gateway parses: Fastify caches the
  // parser of a named type per Content-Type value, while the catch-all is looked up again
  // (the header parsed) on every request (issue 22).
  app.addContentTypeParser(["application/json", "application/x-www-form-urlencoded"], readBody);
  app.addContentTypeParser("*", readBody);

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    const language = pickLanguage(req, null);
    const trace = req.headers["x-tc-traceid"];
    if (typeof trace === "string") reply.header("X-TC-TraceId", trace);
    if (isApiError(err)) return sendError(reply, req.id, err, language);
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return sendError(reply, req.id, E.requestSizeLimitExceeded(TC3_BODY_LIMIT), language);
    if (err.statusCode && err.statusCode < 500) return sendError(reply, req.id, E.invalidParameterText(err.message), language);
    req.log.error({ err }, "unexpected error in the Tencent gateway");
    return sendError(reply, req.id, E.internalError(), language);
  });

  app.all("/", async (req, reply) => {
    const started = performance.now(); // a double: hrtime.bigint() allocates two BigInts per request
    const trace = req.headers["x-tc-traceid"];
    if (typeof trace === "string") reply.header("X-TC-TraceId", trace);
    let language = pickLanguage(req, null);
    let service = "unknown";
    let actionLabel = "unknown";
    let code = "OK";
    try {
      const call = await authenticate(req, tenancy, (l) => (language = l));
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
        language,
        requestId: req.id,
      };
      const result = await action.handler(input, ctx);
      return sendResult(reply, req.id, result);
    } catch (err) {
      const apiErr = isApiError(err) ? err : unexpected(req, err);
      code = apiErr.code;
      return sendError(reply, req.id, apiErr, language);
    } finally {
      metrics.observe("tencent", service, actionLabel, code, (performance.now() - started) / 1e3);
    }
  });
}

function unexpected(req: FastifyRequest, err: unknown): ApiError {
  req.log.error({ err, requestId: req.id }, "unexpected error in a Tencent action");
  return E.internalError();
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function pickLanguage(req: FastifyRequest, param: string | null): Language {
  const v = header(req, "x-tc-language") ?? param;
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

async function authenticate(req: FastifyRequest, tenancy: Tenancy, setLanguage: (l: Language) => void): Promise<Call> {
  if (req.method !== "GET" && req.method !== "POST") throw E.unsupportedProtocol(req.method);
  const { path, query } = splitUrl(req.url);
  if (query.length > GET_LIMIT) throw E.requestSizeLimitExceeded(GET_LIMIT);
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const authorization = header(req, "authorization");
  if (authorization !== undefined) return tc3(req, tenancy, authorization, path, query, body);
  const contentType = (header(req, "content-type") ?? "").toLowerCase();
  if (req.method === "POST" && contentType.startsWith("application/json")) throw E.invalidAuthorization();
  if (req.method === "POST" && body.length > V1_BODY_LIMIT) throw E.requestSizeLimitExceeded(V1_BODY_LIMIT);
  return v1(req, tenancy, req.method === "GET" ? query : body.toString("utf8"), path, setLanguage);
}

async function tc3(req: FastifyRequest, tenancy: Tenancy, authorization: string, path: string, query: string, body: Buffer): Promise<Call> {
  const auth = parseTc3Authorization(authorization);
  if (!auth) throw E.invalidAuthorization();
  const tsHeader = header(req, "x-tc-timestamp");
  if (tsHeader === undefined) throw E.missingParameter("X-TC-Timestamp");
  if (!/^\d{1,12}$/.test(tsHeader)) throw E.invalidParameter("X-TC-Timestamp");
  const key = await tenancy.findKey(auth.secretId);
  if (!key) throw E.secretIdNotFound();
  const timestamp = Number(tsHeader);
  if (Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_WINDOW_S) throw E.signatureExpire();
  if (!auth.signedHeaders.includes("host") || !auth.signedHeaders.includes("content-type")) throw E.signatureFailure();

  const headers: Record<string, string> = {};
  for (const h of auth.signedHeaders) headers[h] = header(req, h) ?? "";
  // The service is whatever the credential scope names: the Node SDK signs "127" when
  // pointed at 127.0.0.1 (reference §2.3).
  const input = {
    method: req.method,
    path,
    query,
    headers,
    signedHeaders: auth.signedHeaders,
    payload: req.method === "GET" ? "" : body,
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

  const action = header(req, "x-tc-action");
  if (!action) throw E.missingParameter("Action");
  const version = header(req, "x-tc-version");
  if (!version) throw E.missingParameter("Version");
  let params: unknown;
  const contentType = (header(req, "content-type") ?? "").toLowerCase();
  if (req.method === "GET") params = unflatten(Object.fromEntries(decodeForm(query)));
  else if (contentType.startsWith("application/json")) params = parseJson(body);
  else if (contentType.startsWith("application/x-www-form-urlencoded")) {
    params = unflatten(Object.fromEntries(decodeForm(body.toString("utf8"))));
  } else throw E.unsupportedContentType(contentType || "(none)");
  return {
    account: key.account,
    secretId: auth.secretId,
    action,
    version,
    region: regionOf(header(req, "x-tc-region")),
    regionSource: "X-TC-Region",
    params,
    service: auth.service,
  };
}

async function v1(req: FastifyRequest, tenancy: Tenancy, form: string, path: string, setLanguage: (l: Language) => void): Promise<Call> {
  const pairs = decodeForm(form);
  const params: Record<string, string> = {};
  for (const [k, v] of pairs) {
    if (k in params) throw E.invalidParameter(k);
    params[k] = v;
  }
  setLanguage(pickLanguage(req, params.Language ?? null));
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
  const host = header(req, "host") ?? "";
  const hosts = host.includes(":") ? [host, host.replace(/:\d+$/, "")] : [host];
  const ok = hosts.some((h) =>
    sameSignature(v1Signature(key.secretKey, v1StringToSign(req.method, h, path, params), params.SignatureMethod), params.Signature!),
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
