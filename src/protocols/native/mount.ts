// Mounts native routes with the kit. Order per request: authenticate (headers only, before
// anything is reserved or read), backpressure (every route with a body gets a gate, its
// fair share per app included, whether it declares limits or not), body (bounded, drained,
// each byte counted on the gate as it is read), handler, and an acknowledgement only after
// the handler's commit; errors in the native shape. A request refused before its body was
// read gets `Connection: close`: its connection is not kept open for a body nobody reads.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Registry } from "prom-client";
import { isApiError } from "../../errors/api-error.ts";
import { InvalidBatchError, nativeErrors } from "../../errors/native.ts";
import type { Metrics } from "../../observability/metrics.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { bearerApp } from "./auth.ts";
import { Backpressure, meteredBody, type Ticket } from "./backpressure.ts";
import { batchParsers, parseBatchBody, streamParsers } from "./batch-body.ts";
import { nativeErrorHandler } from "./render.ts";
import type { BatchAck, NativeBody, NativeRoute } from "./route.ts";

export interface NativeKit {
  tenancy: Pick<Tenancy, "appOfIngestKey">;
  metrics: Pick<Metrics, "ingested"> & { registry: Registry };
  bodyLimit: number;
}

async function authenticate(route: NativeRoute, req: FastifyRequest, kit: NativeKit): Promise<App> {
  if (route.auth.kind === "custom") return route.auth.authenticate(req);
  const app = await bearerApp(req, kit.tenancy);
  const product = route.auth.product;
  if (product && !app.products.includes(product)) throw nativeErrors.forbidden(`app ${app.appId} is not an ${product.toUpperCase()} app`);
  return app;
}

/** Mounts one route in a scope of its own (its body parsers are its own). */
export async function mountNativeRoute(app: FastifyInstance, route: NativeRoute, kit: NativeKit): Promise<void> {
  await app.register(async (scope) => {
    if (route.body === "batch") batchParsers(scope, kit.bodyLimit);
    if (route.body === "stream") streamParsers(scope);
    scope.setErrorHandler(nativeErrorHandler);
    // Batch schemas document; validating them is the handler's, so that every bad event is named.
    if (route.body !== "none") scope.setValidatorCompiler(() => () => true);
    const gate =
      route.body !== "none" || route.backpressure
        ? new Backpressure(route.backpressure, `${app.prefix}${route.url}`, kit.bodyLimit, kit.metrics.registry)
        : null;
    const apps = new WeakMap<FastifyRequest, App>();
    const tickets = new WeakMap<FastifyRequest, Ticket>();
    if (route.cors) corsFor(scope, route, route.cors);
    scope.route({
      method: route.method,
      url: route.url,
      ...(route.schema ? { schema: route.schema } : {}),
      onRequest: async (req, reply) => {
        try {
          const caller = await authenticate(route, req, kit);
          apps.set(req, caller);
          if (gate) tickets.set(req, gate.admit(req, reply, caller.appId));
        } catch (err) {
          if (!req.raw.complete) reply.header("connection", "close");
          throw err;
        }
      },
      preParsing: async (req, reply, payload) => {
        const ticket = tickets.get(req);
        return ticket ? meteredBody(payload, ticket, reply, kit.bodyLimit) : payload;
      },
      handler: async (req, reply) => {
        const caller = apps.get(req)!;
        const body: NativeBody =
          route.body === "batch"
            ? { kind: "batch", ...parseBatchBody(req) }
            : route.body === "stream"
              ? { kind: "stream", stream: req.body, limit: kit.bodyLimit }
              : { kind: "none" };
        const call = { app: caller, params: (req.params ?? {}) as Record<string, string>, requestId: req.id, body };
        if (route.body === "none") return reply.send(await route.handler(call));
        try {
          const ack = (await route.handler(call)) as BatchAck;
          kit.metrics.ingested.inc({ outcome: "accepted" }, ack.accepted);
          kit.metrics.ingested.inc({ outcome: "duplicate" }, ack.duplicates);
          return reply.send({ ...ack, requestId: req.id });
        } catch (err) {
          if (isApiError(err) && err instanceof InvalidBatchError) {
            const received = err.received ?? (body.kind === "batch" ? body.events.length : 0);
            kit.metrics.ingested.inc({ outcome: "rejected" }, received);
          }
          throw err;
        }
      },
    });
  });
}

/** Preflight and Access-Control-Allow-Origin for a route that browsers call cross-origin. */
function corsFor(scope: FastifyInstance, route: NativeRoute, cors: NonNullable<NativeRoute["cors"]>): void {
  const allowedOrigin = async (req: FastifyRequest): Promise<string | null> => {
    const origin = req.headers.origin;
    return typeof origin === "string" && (await cors.allowed(origin)) ? origin : null;
  };
  // Before authentication, so that the browser can read the 401/403 bodies too.
  scope.addHook("onRequest", async (req, reply) => {
    const origin = await allowedOrigin(req);
    reply.header("vary", "Origin");
    if (origin) reply.header("access-control-allow-origin", origin).header("access-control-expose-headers", "Retry-After");
  });
  scope.route({
    method: "OPTIONS",
    url: route.url,
    handler: async (req, reply) => {
      if (!reply.hasHeader("access-control-allow-origin")) {
        throw nativeErrors.forbidden(`origin ${req.headers.origin ?? "(none)"} is not allowed to call ${route.url}`);
      }
      return reply
        .code(204)
        .header("access-control-allow-methods", route.method)
        .header("access-control-allow-headers", "authorization, content-type")
        .header("access-control-max-age", "600")
        .send();
    },
  });
}
