// POST /ingest/v1/trro/reports: the reports of one device, authenticated as that device
// (project id, device id and the device token set by CreateDevice/ModifyDevice), not with the
// account's keys nor an app ingest key. The body is the platform's ingest batch (a JSON
// array or NDJSON of {id, type, ctime, data}) of `trro.*` types; `data.deviceId` is filled
// in from the authentication. Validation, all-or-nothing storage and retry idempotency are
// the ingest service's (ctx.ingest, src/ingest). Event ids are per device: they are stored as
// "<deviceId>/<id>", so two devices counting from 1 do not collide.
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { nativeErrors, type BadEvent } from "../../errors/native.ts";
import type { NativeRoute } from "../../protocols/native/route.ts";
import type { ProductContext } from "../../product-context.ts";
import type { App } from "../../tenancy/accounts.ts";
import { deviceTokenHash, tokenHash } from "./device-store.ts";
import { reportEvents } from "./report-events.ts";

const MAX_CLIENT_ID = 95; // 128 in the log, minus "<deviceId>/" (at most 33)

const unauthorized = () =>
  nativeErrors.unauthorized(
    "a device must authenticate with X-TRRO-Project-Id, X-TRRO-Device-Id and `Authorization: Bearer <device token>`",
  );

async function authenticateDevice(req: FastifyRequest, ctx: ProductContext): Promise<{ app: App; deviceId: string }> {
  const projectId = req.headers["x-trro-project-id"];
  const deviceId = req.headers["x-trro-device-id"];
  const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ""));
  if (typeof projectId !== "string" || typeof deviceId !== "string" || !m) throw unauthorized();
  const app = await ctx.tenancy.app(projectId);
  if (!app?.products.includes("trro")) throw unauthorized();
  const stored = await deviceTokenHash(ctx.db, app.appId, deviceId);
  const given = tokenHash(m[1]!);
  if (!stored || !timingSafeEqual(Buffer.from(stored), Buffer.from(given))) throw unauthorized();
  return { app, deviceId };
}

/** Scopes each event to the authenticated device; lists every event that cannot be. */
export function scopeToDevice(raws: unknown[], deviceId: string): { events: unknown[]; bad: BadEvent[] } {
  const bad: BadEvent[] = [];
  const out = raws.map((raw, index) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw; // the registry names it
    const e = raw as Record<string, unknown>;
    if (typeof e.id === "string" && e.id.length > MAX_CLIENT_ID) {
      bad.push({ index, reason: `'id' must be at most ${MAX_CLIENT_ID} characters` });
      return raw;
    }
    if (typeof e.type === "string" && !e.type.startsWith("trro.")) {
      bad.push({ index, reason: `a device reports trro.* events only, not '${e.type.slice(0, 64)}'` });
      return raw;
    }
    const data = e.data;
    if (typeof data !== "object" || data === null || Array.isArray(data)) return raw;
    const given = (data as Record<string, unknown>).deviceId;
    if (given !== undefined && given !== deviceId) {
      bad.push({ index, reason: "data.deviceId must be the authenticated device (or absent)" });
      return raw;
    }
    return { ...e, id: typeof e.id === "string" && e.id !== "" ? `${deviceId}/${e.id}` : e.id, data: { ...data, deviceId } };
  });
  return { events: out, bad };
}

const Ack = Type.Object({
  received: Type.Integer(),
  accepted: Type.Integer({ description: "events stored now" }),
  duplicates: Type.Integer({ description: "events stored before (retries), not stored again" }),
  requestId: Type.String(),
});

/** The device of each request, from its authentication (the kit authenticates before the body is read). */
const deviceOf = new WeakMap<App, string>();

export function reportRoute(ctx: ProductContext): NativeRoute {
  return {
    method: "POST",
    url: "/ingest/v1/trro/reports",
    auth: {
      kind: "custom",
      async authenticate(req) {
        const { app, deviceId } = await authenticateDevice(req, ctx);
        // A fresh App object per request: the device travels with it to the handler.
        const scoped = { ...app };
        deviceOf.set(scoped, deviceId);
        return scoped;
      },
    },
    body: "batch",
    // Devices of one project share its fair share (half); the whole path holds at most 64 requests.
    backpressure: {
      maxInFlight: 64,
      what: "TRRO report",
      gauge: {
        name: "roomledger_trro_report_requests_in_flight",
        help: "TRRO device report batches being read or stored (503 beyond 64, 429 beyond 32 for one project).",
      },
    },
    schema: {
      summary: "TRRO device reports",
      description:
        "Reports of one TRRO device: presence (trro.device.online / heartbeat / offline), sessions " +
        "(trro.session.started with the peer device and resolution, trro.session.metrics one sample per event " +
        "with ctime = sample time, trro.session.ended). Authenticated as the device: headers X-TRRO-Project-Id, " +
        "X-TRRO-Device-Id and `Authorization: Bearer <DeviceToken>`. Any report counts as a heartbeat. The batch " +
        "is validated whole (400 names every bad event, nothing stored) and acknowledged after the commit; " +
        "a retried event id is stored once, and so is a repeated sample (session, device, ctime). Put " +
        "trro.session.started before the metrics of that session in a batch.",
      headers: Type.Object({
        "x-trro-project-id": Type.String({ description: "ProjectId" }),
        "x-trro-device-id": Type.String({ description: "DeviceId" }),
        authorization: Type.String({ description: "Bearer <DeviceToken>" }),
      }),
      // One shape per event type, with its data schema (deviceId may be left out here).
      body: Type.Array(
        Type.Union(
          reportEvents.map((t) =>
            Type.Object({
              id: Type.String({ maxLength: MAX_CLIENT_ID, description: "client event id, unique per device" }),
              type: Type.Literal(t.type),
              ctime: Type.Union([Type.Integer({ description: "Unix ms" }), Type.String({ format: "date-time" })]),
              data: t.data,
            }),
          ),
        ),
      ),
      response: { 200: Ack },
    },
    async handler({ app: project, body }) {
      if (body.kind !== "batch") throw new Error("device reports take a batch body");
      // NDJSON lines that are not JSON: the platform's InvalidBatch answer (events with reasons).
      if (body.bad.length > 0) throw nativeErrors.invalidBatch(body.bad);
      const { events, bad } = scopeToDevice(body.events, deviceOf.get(project)!);
      if (bad.length > 0) {
        // Name every bad event in one answer: the registry's reasons for the others too.
        const refused = new Set(bad.map((b) => b.index));
        events.forEach((e, index) => {
          if (refused.has(index)) return;
          const r = ctx.ingest.check(e, project, ctx.clock.now());
          if (typeof r === "string") bad.push({ index, reason: r });
        });
        throw nativeErrors.invalidBatch(bad.sort((a, b) => a.index - b.index));
      }
      return ctx.ingest.ingest(project, events);
    },
  };
}
