// POST /ingest/v1/rtc/qos: the high-volume path for QoS samples. One sample per NDJSON line
// ({ctime, room_id, uid, peer_id?, stream_id?, direction?, metrics}), authenticated with the
// app's ingest key. The body is read as a stream and parsed line by line into columns (the
// text is never held whole), each line checked by a compiled schema; the request is stored
// in one transaction with bulk inserts, all or nothing, and acknowledged after the commit.
//
// Backpressure instead of unbounded memory: at most MAX_IN_FLIGHT requests are read at once
// (beyond: 503 + Retry-After), at most MAX_IN_FLIGHT_PER_APP for one app (beyond: 429 +
// Retry-After), and a request body may not exceed the ingest body limit (413).
import { StringDecoder } from "node:string_decoder";
import type { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { Type } from "@sinclair/typebox";
import { Ajv } from "ajv";
import { Gauge } from "prom-client";
import { ApiError } from "../../errors/api-error.ts";
import type { Platform } from "../../platform.ts";
import { parseTime, type BadEvent } from "../../protocols/ingest/batch.ts";
import { bearerApp, nativeErrorHandler } from "../../protocols/ingest/routes.ts";
import { QosBatch, QosLine, type QosSampleData } from "./qos-sample.ts";
import { writeQosBatch } from "./qos-ingest.ts";

export const MAX_IN_FLIGHT = 8;
export const MAX_IN_FLIGHT_PER_APP = 6;
const MAX_REPORTED_ERRORS = 1000;

const validateLine = new Ajv({ allErrors: false, strict: false }).compile(QosLine);

const Ack = Type.Object({
  received: Type.Integer({ description: "samples in the request" }),
  accepted: Type.Integer({ description: "samples stored now" }),
  duplicates: Type.Integer({ description: "samples stored before (retries): not stored again" }),
  expired: Type.Integer({ description: "samples older than the retention window: not stored" }),
  points: Type.Integer({ description: "metric values in the samples not expired (stored now or before)" }),
  requestId: Type.String(),
});

export async function qosStreamRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  let inFlight = 0;
  const perApp = new Map<string, number>();
  // Operators watch saturation here (and the tests wait on it instead of sleeping).
  const gauge = new Gauge({
    name: "roomledger_rtc_qos_requests_in_flight",
    help: "QoS ingest requests being read or written (503 beyond " + MAX_IN_FLIGHT + ").",
    registers: [platform.metrics.registry],
    collect() {
      this.set(inFlight);
    },
  });
  void gauge;
  const bodyLimit = platform.config.ingestBodyLimit;

  app.removeAllContentTypeParsers();
  for (const type of ["application/x-ndjson", "application/jsonl"]) {
    app.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
  }
  app.setErrorHandler(nativeErrorHandler);
  app.setValidatorCompiler(() => () => true);

  app.post(
    "/ingest/v1/rtc/qos",
    {
      schema: {
        summary: "Report SparkRTC client QoS samples (NDJSON stream)",
        description:
          "application/x-ndjson, one sample per line. A sample is one (room_id, uid, peer_id, stream_id, direction, ctime) " +
          "with any subset of the 23 metric ids (appcpu, syscpu, abit, ablock, aloss, ajitter, artt, vbit, vfps, vblock, " +
          "vloss, vwidth, vheight, vjitter, vrtt, dbit, dfps, dblock, dloss, dwidth, dheight, djitter, drtt). " +
          "A sample sent again is stored once. If any line is invalid nothing is stored and the 400 names each bad line " +
          "(index from 0, blank lines not counted). 429/503 with Retry-After when the server is saturated: retry later.",
        security: [{ ingestKey: [] }],
        body: QosLine,
        response: { 200: Ack },
      },
    },
    async (req, reply) => {
      const application = await bearerApp(req, platform);
      if (!application.products.includes("rtc")) {
        throw new ApiError("Forbidden", { message: `app ${application.appId} is not an RTC app`, httpStatus: 403 });
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        throw new ApiError("Overloaded", { message: "too many QoS requests in flight; retry later", httpStatus: 503, headers: { "retry-after": "1" } });
      }
      const mine = perApp.get(application.appId) ?? 0;
      if (mine >= MAX_IN_FLIGHT_PER_APP) {
        throw new ApiError("TooManyRequests", {
          message: `app ${application.appId} has ${mine} QoS requests in flight; retry later`,
          httpStatus: 429,
          headers: { "retry-after": "1" },
        });
      }
      inFlight++;
      perApp.set(application.appId, mine + 1);
      try {
        const stime = platform.clock.now();
        const { batch, bad, received } = await readSamples(req.body as Readable | undefined, stime, bodyLimit);
        if (bad.length > 0) {
          platform.metrics.ingested.inc({ outcome: "rejected" }, received);
          const err = new ApiError("InvalidBatch", { message: `${bad.length} sample(s) are invalid; nothing was stored`, httpStatus: 400 });
          (err as ApiError & { events: BadEvent[] }).events = bad;
          throw err;
        }
        const { accepted, expired } = received === 0 ? { accepted: 0, expired: 0 } : await writeQosBatch(platform, application.appId, stime, batch);
        const duplicates = received - expired - accepted;
        platform.metrics.ingested.inc({ outcome: "accepted" }, accepted);
        platform.metrics.ingested.inc({ outcome: "duplicate" }, duplicates);
        return reply.send({ received, accepted, duplicates, expired, points: batch.points, requestId: req.id });
      } finally {
        inFlight--;
        const left = (perApp.get(application.appId) ?? 1) - 1;
        if (left <= 0) perApp.delete(application.appId);
        else perApp.set(application.appId, left);
      }
    },
  );
}

async function readSamples(
  body: Readable | undefined,
  stime: number,
  limit: number,
): Promise<{ batch: QosBatch; bad: BadEvent[]; received: number }> {
  const batch = new QosBatch();
  const bad: BadEvent[] = [];
  let index = 0;
  if (!body || typeof (body as Readable).on !== "function") {
    throw new ApiError("UnsupportedMediaType", { message: "send application/x-ndjson, one sample per line", httpStatus: 415 });
  }
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let bytes = 0;
  const line = (text: string) => {
    if (text.trim() === "") return;
    const i = index++;
    if (bad.length >= MAX_REPORTED_ERRORS) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      bad.push({ index: i, reason: "line is not valid JSON" });
      return;
    }
    if (!validateLine(raw)) {
      const e = validateLine.errors?.[0];
      bad.push({ index: i, reason: `${e?.instancePath || "sample"} ${e?.message ?? "is invalid"}`.trim() });
      return;
    }
    const { ctime: rawTime, ...data } = raw as { ctime: unknown } & QosSampleData;
    const ctime = parseTime(rawTime);
    if (ctime === null) {
      bad.push({ index: i, reason: "'ctime' must be Unix milliseconds or an ISO-8601 time with a zone" });
      return;
    }
    // Once a line is bad nothing will be stored: keep checking, stop collecting.
    const reason = bad.length > 0 ? QosBatch.problem(data, ctime, stime) : batch.add(data, ctime, stime);
    if (reason) bad.push({ index: i, reason });
  };
  const tooLarge = () => new ApiError("PayloadTooLarge", { message: `the body exceeds ${limit} bytes; send smaller requests`, httpStatus: 413 });
  for await (const chunk of body) {
    bytes += (chunk as Buffer).length;
    // Over the limit: read the rest and drop it before answering (answering mid-upload makes
    // the client see EPIPE instead of the 413), up to a drain limit past which we cut.
    if (bytes > limit) {
      rest = "";
      if (bytes > Math.max(4 * limit, 64 * 1024 * 1024)) {
        body.destroy();
        throw tooLarge();
      }
      continue;
    }
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = text.indexOf("\n", start); nl >= 0; nl = text.indexOf("\n", start)) {
      line(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (bytes > limit) throw tooLarge();
  line(rest + decoder.end());
  return { batch, bad, received: index };
}
