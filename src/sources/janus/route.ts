// POST /ingest/v1/janus: what Janus's sample HTTP event handler (janus.eventhandler.sampleevh)
// sends, authenticated with the handler's own basic-auth settings (backend_user = a Janus key
// id linked to an app, backend_pwd = its secret: `roomledger source link --kind janus`). A POST holds one
// event (grouping = false) or an array of them (grouping = true, the default), as JSON,
// gzip-compressed when the handler's `compress` is on.
//
// Presence goes to the attendance model of the linked app; QoS samples to an rtc app: the
// linked app itself when it has rtc, or the one named by `?qos_app=` in the backend URL (an
// rtc app of the same account; LCIC and Huawei RTC app ids have different shapes, so one app
// rarely has both). Either a POST is stored whole (state, samples) or it is refused whole:
// malformed events get the native 400 naming each of them.
//
// Janus retries a POST only when the connection fails, never after an HTTP error: an answer
// other than 200 loses those events. So there is no backpressure 503 here, and the body limit
// is the ingest API's (Janus's batches are small).
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { nativeErrors } from "../../errors/native.ts";
import type { App } from "../../tenancy/accounts.ts";
import { boundaryViolation, describeViolation } from "../../protocols/boundary.ts";
import { readBodyDraining } from "../../protocols/native/read-body.ts";
import { nativeErrorHandler } from "../../protocols/native/render.ts";
import { basicAuthAppId } from "../mapping/basic-auth.ts";
import { sourceGate } from "../gate.ts";
import type { Registry } from "prom-client";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { readJanusEvents } from "./janus-event.ts";
import { recordJanus, type JanusDeps } from "./record.ts";

/** What the route needs of the sources' kit (routes.ts passes the whole kit). */
export interface JanusKit extends JanusDeps {
  tenancy: Pick<Tenancy, "app">;
  bodyLimit: number;
  registry: Registry;
}

const gunzipAsync = promisify(gunzip);

export async function janusRoute(scope: FastifyInstance, o: JanusKit): Promise<void> {
  scope.setErrorHandler(nativeErrorHandler);
  scope.removeAllContentTypeParsers();
  // Janus sends application/json; the body is read as bytes (it may be gzip) up to the limit.
  scope.addContentTypeParser("*", (_req, payload, done) =>
    readBodyDraining(
      payload,
      o.bodyLimit,
      () => nativeErrors.payloadTooLarge(`the request body exceeds the limit of ${o.bodyLimit} bytes`),
      done,
    ),
  );
  const apps = new WeakMap<FastifyRequest, App>();
  const gate = sourceGate("/ingest/v1/janus", o.bodyLimit, o.registry);
  scope.route({
    method: "POST",
    url: "/janus",
    schema: {
      summary: "Janus event handler (sampleevh) events",
      description:
        "What janus.eventhandler.sampleevh POSTs: one event or an array of them (JSON, optionally gzip). HTTP basic auth " +
        "with a linked Janus key id and secret. `qos_app`: the rtc app that receives the QoS samples (default: the linked " +
        "app when it has rtc). VideoRoom joins and leaves become presence in the attendance model; media statistics become " +
        "SparkRTC QoS samples. Malformed events: 400 naming each, nothing stored.",
      querystring: { type: "object", properties: { qos_app: { type: "string" } } },
      tags: ["sources"],
    },
    onRequest: async (req, reply) => {
      const app = await o.tenancy.app(await basicAuthAppId(req, o.db, "janus"));
      if (!app) throw nativeErrors.unauthorized("the Janus credential's app no longer exists");
      apps.set(req, app);
      gate.admit(req, reply, app.appId);
    },
    preParsing: gate.preParsing,
    handler: async (req) => {
      const app = apps.get(req)!;
      const body = await bodyOf(req, o.bodyLimit);
      const { facts, bad } = readJanusEvents(body);
      if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
      const qosApp = await qosTarget(req, app, o);
      const received = Array.isArray(body) ? body.length : 1;
      return { received, ...(await recordJanus(o, app, qosApp, facts)), requestId: req.id };
    },
  });
}

async function bodyOf(req: FastifyRequest, limit: number): Promise<unknown> {
  let bytes = req.body instanceof Buffer ? req.body : Buffer.alloc(0);
  const encoding = String(req.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "gzip") {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: limit });
    } catch {
      throw nativeErrors.badRequest(`the gzip body is corrupt or inflates past ${limit} bytes`);
    }
  } else if (encoding !== "identity") {
    throw nativeErrors.unsupportedMediaType(`content-encoding ${encoding.slice(0, 32)} is not supported (gzip is)`);
  }
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8").replace(/^\uFEFF/, ""));
  } catch {
    throw nativeErrors.invalidJson("the body is not valid JSON");
  }
  // The platform's input rule (NUL, lone surrogates, unsafe integers), per event.
  const list = Array.isArray(body) ? body : [body];
  const bad = list.flatMap((e, index) => {
    const v = boundaryViolation(e);
    return v ? [{ index, reason: describeViolation(v) }] : [];
  });
  if (bad.length > 0) throw nativeErrors.invalidBatch(bad);
  return body;
}

async function qosTarget(req: FastifyRequest, app: App, o: JanusKit): Promise<App | null> {
  const named = (req.query as { qos_app?: unknown } | undefined)?.qos_app;
  if (named === undefined) return app.products.includes("rtc") ? app : null;
  if (typeof named !== "string" || named.length > 64) throw nativeErrors.badRequest("qos_app must be one rtc app id");
  const found = await o.tenancy.app(named);
  if (!found || found.accountId !== app.accountId || !found.products.includes("rtc")) {
    throw nativeErrors.forbidden(`qos_app ${named} is not an rtc app of the account that owns app ${app.appId}`);
  }
  return found;
}
