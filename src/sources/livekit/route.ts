// POST /ingest/v1/livekit: LiveKit's webhooks (livekit.yaml: `webhook: { api_key: K, urls:
// [https://ledger/ingest/v1/livekit] }`). The token is checked on the headers, before the
// body is read; the body must then match the token's sha256 claim byte for byte, so it is
// read raw (not through a JSON parser that would re-encode it). Errors answer in the native
// envelope; a 2xx tells LiveKit not to retry.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { nativeErrors } from "../../errors/native.ts";
import { readBodyDraining } from "../../protocols/native/read-body.ts";
import { nativeErrorHandler } from "../../protocols/native/render.ts";
import type { SourcesKit } from "../kit.ts";
import { checkBodyHash, verifyWebhookToken, type VerifiedCaller } from "./verify.ts";
import { toSourceEvent, WebhookShapeError } from "./webhook.ts";
import type { SourceEvent } from "../attendance/index.ts";
import { sourceGate } from "../gate.ts";

/** LiveKit sends application/webhook+json; plain JSON is taken too (curl, proxies). */
const TYPES = ["application/webhook+json", "application/json"];

export async function livekitRoute(app: FastifyInstance, kit: SourcesKit): Promise<void> {
  app.removeAllContentTypeParsers();
  for (const type of TYPES) {
    app.addContentTypeParser(type, (_req, payload, done) =>
      readBodyDraining(
        payload,
        kit.bodyLimit,
        () => nativeErrors.payloadTooLarge(`the body exceeds ${kit.bodyLimit} bytes`),
        (err, body) => (err ? done(err) : done(null, body)),
      ),
    );
  }
  app.setErrorHandler(nativeErrorHandler);
  const callers = new WeakMap<FastifyRequest, VerifiedCaller>();
  const gate = sourceGate("/ingest/v1/livekit", kit.bodyLimit, kit.registry);
  app.route({
    method: "POST",
    url: "/livekit",
    schema: {
      summary: "LiveKit webhooks",
      description:
        "LiveKit's webhook POSTs (livekit.WebhookEvent as proto3 JSON), authenticated with the Authorization JWT " +
        "signed by a LiveKit API key linked to an app (roomledger source link --kind livekit). Participants and " +
        "tracks become the app's LCIC members / GME voice-room presence; egress events are kept.",
      tags: ["sources"],
    },
    onRequest: async (req, reply) => {
      const caller = await verifyWebhookToken(kit.db, req.headers.authorization);
      callers.set(req, caller);
      gate.admit(req, reply, caller.appId);
    },
    preParsing: gate.preParsing,
    handler: async (req) => {
      const caller = callers.get(req)!;
      if (!Buffer.isBuffer(req.body)) throw nativeErrors.unsupportedMediaType(`send ${TYPES[0]}`);
      checkBodyHash(req.body, caller.sha256);
      let parsed: unknown;
      try {
        parsed = JSON.parse(req.body.toString("utf8"));
      } catch {
        throw nativeErrors.invalidJson("the body is not valid JSON");
      }
      let event: SourceEvent;
      try {
        event = toSourceEvent(req.body, parsed);
      } catch (err) {
        if (err instanceof WebhookShapeError) throw nativeErrors.invalidBatch([{ index: 0, reason: err.message }]);
        throw err;
      }
      const target = await kit.tenancy.app(caller.appId);
      if (!target) throw nativeErrors.unauthorized("the LiveKit API key's app no longer exists");
      const ack = await kit.attendance.record(target, [event]);
      return { ...ack, requestId: req.id };
    },
  });
}
