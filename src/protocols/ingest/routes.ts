// POST /ingest/v1/events: a JSON array or NDJSON of events, authenticated with the app's
// ingest key as a Bearer token. Valid → stored in one transaction, then acknowledged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { Gauge } from "prom-client";
import { ApiError, isApiError } from "../../errors/api-error.ts";
import type { Metrics } from "../../observability/metrics.ts";
import type { Platform } from "../../platform.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { IngestRegistry } from "./batch.ts";
import { readBodyDraining } from "../read-body.ts";

export interface IngestOptions {
  platform: Platform;
  registry: IngestRegistry;
  metrics: Metrics;
  /** Requests in flight beyond which the API answers 503 + Retry-After (backpressure). */
  maxInFlight?: number;
}

/** Bodies being read or stored may hold at most this many times the body limit (16 MB → 128 MB). */
export const BODY_BUDGET_FACTOR = 8;

/** The native error body of the ingest and agent APIs. */
export function sendNativeError(reply: FastifyReply, requestId: string, err: ApiError): FastifyReply {
  const body: Record<string, unknown> = { code: err.code, message: err.message };
  const events = (err as ApiError & { events?: unknown }).events;
  if (events) body.events = events;
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  return reply.code(err.httpStatus).send({ error: body, requestId });
}

export function nativeErrorHandler(err: Error & { code?: string; statusCode?: number }, req: FastifyRequest, reply: FastifyReply) {
  if (isApiError(err)) return sendNativeError(reply, req.id, err);
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return sendNativeError(reply, req.id, new ApiError("PayloadTooLarge", { message: err.message, httpStatus: 413 }));
  }
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return sendNativeError(reply, req.id, new ApiError("UnsupportedMediaType", { message: err.message, httpStatus: 415 }));
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return sendNativeError(reply, req.id, new ApiError("BadRequest", { message: err.message, httpStatus: err.statusCode }));
  }
  req.log.error({ err }, "unexpected error");
  return sendNativeError(reply, req.id, new ApiError("InternalError", { message: "internal error", httpStatus: 500 }));
}

export async function bearerApp(req: FastifyRequest, platform: Platform): Promise<App> {
  const auth = req.headers.authorization;
  const m = typeof auth === "string" ? /^Bearer (\S+)$/.exec(auth) : null;
  if (!m) throw new ApiError("Unauthorized", { message: "an ingest key is required as `Authorization: Bearer <key>`", httpStatus: 401 });
  const app = await platform.tenancy.appOfIngestKey(m[1]!);
  if (!app) throw new ApiError("Unauthorized", { message: "unknown ingest key", httpStatus: 401 });
  return app;
}

/** Splits NDJSON; a line that is not JSON makes the batch invalid with its index. */
export function parseNdjson(text: string): { events: unknown[]; bad: { index: number; reason: string }[] } {
  const events: unknown[] = [];
  const bad: { index: number; reason: string }[] = [];
  let index = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      bad.push({ index, reason: "line is not valid JSON" });
      events.push(undefined);
    }
    index++;
  }
  return { events, bad };
}

/**
 * The events of a batch body: a JSON array (application/json) or NDJSON (the other accepted
 * types). A JSON body that is not a JSON array is refused here; NDJSON lines that are not
 * JSON come back in `bad` with their index, for the caller's own InvalidBatch answer.
 */
export function parseBatchBody(req: FastifyRequest): { events: unknown[]; bad: { index: number; reason: string }[] } {
  const text = typeof req.body === "string" ? req.body : "";
  // The media type alone, without parameters: "application/jsonl" is NDJSON, not JSON.
  const mediaType = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ApiError("InvalidJson", { message: "the body is not valid JSON", httpStatus: 400 });
    }
    if (!Array.isArray(parsed)) throw new ApiError("InvalidJson", { message: "the body must be a JSON array of events", httpStatus: 400 });
    return { events: parsed, bad: [] };
  }
  return parseNdjson(text);
}

const Ack = Type.Object({
  received: Type.Integer({ description: "events in the batch" }),
  accepted: Type.Integer({ description: "events stored now" }),
  duplicates: Type.Integer({ description: "events already stored earlier (retries): not stored again" }),
  requestId: Type.String(),
});

export async function ingestRoutes(app: FastifyInstance, opts: IngestOptions): Promise<void> {
  const { platform, registry, metrics } = opts;
  const maxInFlight = opts.maxInFlight ?? 64;
  const limit = platform.config.ingestBodyLimit;
  const budget = BODY_BUDGET_FACTOR * limit;
  let inFlight = 0;
  let reserved = 0;
  const gauge = new Gauge({
    name: "roomledger_ingest_requests_in_flight",
    help: `Event batches being read or stored (503 beyond ${maxInFlight}, or beyond ${budget} bytes of bodies).`,
    registers: [metrics.registry],
    collect() {
      this.set(inFlight);
    },
  });
  void gauge;

  // Backpressure from a request's first byte: the gate runs before its body is read, and a
  // request reserves its declared length (the whole limit when chunked) of the byte budget.
  // The slot is given back when the response closes, sent or aborted ('close' comes once).
  app.addHook("onRequest", async (req, reply) => {
    if (req.method !== "POST") return;
    const declared = Number(req.headers["content-length"]);
    const bytes = Number.isSafeInteger(declared) && declared >= 0 ? Math.min(declared, limit) : limit;
    if (inFlight >= maxInFlight || reserved + bytes > budget) {
      throw new ApiError("Overloaded", { message: "too many ingest requests in flight; retry later", httpStatus: 503, headers: { "retry-after": "1" } });
    }
    inFlight++;
    reserved += bytes;
    reply.raw.once("close", () => {
      inFlight--;
      reserved -= bytes;
    });
  });

  app.removeAllContentTypeParsers();
  const tooLarge = () =>
    new ApiError("PayloadTooLarge", { message: `the request body exceeds the limit of ${limit} bytes; send smaller batches`, httpStatus: 413 });
  for (const type of ["application/json", "application/x-ndjson", "application/jsonl"]) {
    // Read to its end even when too large, so the client gets the 413 (see read-body.ts).
    app.addContentTypeParser(type, (_r, payload, done) =>
      readBodyDraining(payload, limit, tooLarge, (err, body) => (err ? done(err) : done(null, body!.toString("utf8")))),
    );
  }
  app.setErrorHandler(nativeErrorHandler);
  // Unknown paths and other methods under the prefix answer in the native error format too
  // (not Fastify's default body), so a client sees one error shape everywhere.
  app.setNotFoundHandler((req, reply) =>
    sendNativeError(reply, req.id, new ApiError("NotFound", { message: `no route ${req.method} ${req.url.split("?")[0]}`, httpStatus: 404 })),
  );
  app.route({
    method: ["GET", "PUT", "DELETE", "PATCH"],
    url: "/events",
    schema: { hide: true },
    handler: async (req, reply) => {
      reply.header("allow", "POST");
      throw new ApiError("MethodNotAllowed", { message: `${req.method} is not allowed here; use POST`, httpStatus: 405 });
    },
  });
  // Schemas here document the API (OpenAPI at /docs); validation is ours, so that every
  // bad event is named with its index in one answer.
  app.setValidatorCompiler(() => () => true);

  app.post(
    "/events",
    {
      schema: {
        summary: "Report a batch of events",
        description:
          "A JSON array (application/json) or one event per line (application/x-ndjson). Each event: " +
          "{id: client event id (retries with the same id are stored once), type, ctime: Unix ms or ISO-8601, data}. " +
          "The batch is validated whole: if any event is invalid, nothing is stored and the answer (400) names " +
          "the index and reason of every bad event. The answer comes after the commit.",
        security: [{ ingestKey: [] }],
        body: Type.Array(
          Type.Object({
            id: Type.String({ maxLength: 128 }),
            type: Type.String({ enum: registry.list().map((t) => t.type) }),
            ctime: Type.Union([Type.Integer(), Type.String({ format: "date-time" })]),
            data: Type.Object({}, { additionalProperties: true }),
          }),
        ),
        response: { 200: Ack },
      },
    },
    async (req, reply) => {
      const application = await bearerApp(req, platform);
      const { events, bad } = parseBatchBody(req);
      if (bad.length > 0) {
        const err = new ApiError("InvalidBatch", { message: `${bad.length} line(s) are not JSON; nothing was stored`, httpStatus: 400 });
        (err as ApiError & { events: unknown }).events = bad;
        throw err;
      }
      try {
        const result = await registry.ingest(platform, application, events);
        metrics.ingested.inc({ outcome: "accepted" }, result.accepted);
        metrics.ingested.inc({ outcome: "duplicate" }, result.duplicates);
        return reply.send({ ...result, requestId: req.id });
      } catch (err) {
        if (isApiError(err) && err.code === "InvalidBatch") metrics.ingested.inc({ outcome: "rejected" }, events.length);
        throw err;
      }
    },
  );
}
