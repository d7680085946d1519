// POST /ingest/v1/events: a JSON array or NDJSON of events, authenticated with the app's
// ingest key as a Bearer token. Valid → stored in one transaction, then acknowledged.
// Built on the native kit like every native route; unknown paths and other methods under
// /ingest/v1 answer in the native error shape too.
import type { FastifyInstance } from "fastify";
import { Type } from "@sinclair/typebox";
import { nativeErrors } from "../../errors/native.ts";
import type { IngestRegistry } from "../../ingest/registry.ts";
import { BODY_BUDGET_FACTOR } from "../native/backpressure.ts";
import { mountNativeRoute, type NativeKit } from "../native/mount.ts";
import { nativeErrorHandler, nativeNotFound } from "../native/render.ts";
import type { NativeRoute } from "../native/route.ts";

export const MAX_IN_FLIGHT = 64;

const Ack = Type.Object({
  received: Type.Integer({ description: "events in the batch" }),
  accepted: Type.Integer({ description: "events stored now" }),
  duplicates: Type.Integer({ description: "events already stored earlier (retries): not stored again" }),
  requestId: Type.String(),
});

export function eventsRoute(registry: IngestRegistry, bodyLimit: number): NativeRoute {
  const budget = BODY_BUDGET_FACTOR * bodyLimit; // the kit's default, named here for the gauge's help
  return {
    method: "POST",
    url: "/events",
    auth: { kind: "ingest-key" },
    body: "batch",
    backpressure: {
      maxInFlight: MAX_IN_FLIGHT,
      what: "ingest",
      gauge: {
        name: "roomledger_ingest_requests_in_flight",
        help:
          `Event batches being read or stored (503 beyond ${MAX_IN_FLIGHT}, or beyond ${budget} bytes of bodies read; ` +
          "429 beyond half of either for one app).",
      },
    },
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
    async handler({ app, body }) {
      if (body.kind !== "batch") throw new Error("the events route takes a batch body");
      if (body.bad.length > 0) throw nativeErrors.invalidBatch(body.bad); // lines that are not JSON, events that break the boundary rule
      return registry.ingest(app, body.events);
    },
  };
}

/** Register with `{ prefix: "/ingest/v1" }`. */
export async function ingestRoutes(app: FastifyInstance, opts: { registry: IngestRegistry; kit: NativeKit }): Promise<void> {
  app.setErrorHandler(nativeErrorHandler);
  app.setNotFoundHandler(nativeNotFound);
  app.route({
    method: ["GET", "PUT", "DELETE", "PATCH"],
    url: "/events",
    schema: { hide: true },
    handler: async (req) => {
      throw nativeErrors.methodNotAllowed(`${req.method} is not allowed here; use POST`, "POST");
    },
  });
  await mountNativeRoute(app, eventsRoute(opts.registry, opts.kit.bodyLimit), opts.kit);
}
