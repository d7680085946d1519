// POST /ingest/v1/rtc/qos: the high-volume path for QoS samples. One sample per NDJSON line
// ({ctime, room_id, uid, peer_id?, stream_id?, direction?, metrics}), authenticated with the
// app's ingest key. The body is read as a stream and parsed line by line into columns (the
// text is never held whole), each line checked by a compiled schema; the request is stored
// in one transaction with bulk inserts, all or nothing, and acknowledged after the commit.
//
// Backpressure instead of unbounded memory (the native kit's gate): at most MAX_IN_FLIGHT
// requests are read at once (beyond: 503 + Retry-After), at most half of them for one app
// (beyond: 429 + Retry-After), and a request body may not exceed the ingest body limit (413).
import { Type } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import { InvalidBatchError, type BadEvent } from "../../errors/native.ts";
import { parseTime } from "../../ingest/registry.ts";
import { forEachLine, parseLine } from "../../protocols/native/batch-body.ts";
import type { NativeRoute } from "../../protocols/native/route.ts";
import type { ProductContext } from "../../product-context.ts";
import { QosBatch, QosLine, type QosSampleData } from "./qos-sample.ts";
import { writeQosBatch } from "./qos-ingest.ts";
import type { RtcSettings } from "./settings.ts";
import { authenticateQosUpload, browserScopeOf, outOfScope } from "./browser/browser-auth.ts";
import { browserAccessOf } from "./browser/browser-access.ts";
import { nativeErrors } from "../../errors/native.ts";

export const MAX_IN_FLIGHT = 8;
const MAX_REPORTED_ERRORS = 1000;

// Compiled on the first upload, not when the module loads: the server's start-up pays for
// every schema compiled before it listens.
let lineValidator: ValidateFunction | null = null;
const validateLine = (): ValidateFunction => (lineValidator ??= new Ajv({ allErrors: false, strict: false }).compile(QosLine));

const Ack = Type.Object({
  received: Type.Integer({ description: "samples in the request" }),
  accepted: Type.Integer({ description: "samples stored now" }),
  duplicates: Type.Integer({ description: "samples stored before (retries): not stored again" }),
  expired: Type.Integer({ description: "samples older than the retention window: not stored" }),
  points: Type.Integer({ description: "metric values in the samples not expired (stored now or before)" }),
  requestId: Type.String(),
});

export function qosStreamRoute(ctx: ProductContext<RtcSettings>): NativeRoute {
  return {
    method: "POST",
    url: "/ingest/v1/rtc/qos",
    // The ingest key, or a browser upload token limited to one room and user (browser/).
    auth: { kind: "custom", authenticate: (req) => authenticateQosUpload(req, ctx) },
    // Browsers upload cross-origin: a preflight carries no token, so it is answered for an
    // origin any app allows; the upload itself is checked against the token's app.
    cors: { allowed: (origin) => browserAccessOf(ctx.db).anyAllows(origin) },
    body: "stream",
    backpressure: {
      maxInFlight: MAX_IN_FLIGHT,
      what: "QoS",
      // Operators watch saturation here (and the tests wait on it instead of sleeping).
      gauge: {
        name: "roomledger_rtc_qos_requests_in_flight",
        help: `QoS ingest requests being read or written (503 beyond ${MAX_IN_FLIGHT}, 429 beyond half of them for one app).`,
      },
    },
    schema: {
      summary: "Report SparkRTC client QoS samples (NDJSON stream)",
      description:
        "application/x-ndjson, one sample per line. A sample is one (room_id, uid, peer_id, stream_id, direction, ctime) " +
        "with any subset of the 23 metric ids (appcpu, syscpu, abit, ablock, aloss, ajitter, artt, vbit, vfps, vblock, " +
        "vloss, vwidth, vheight, vjitter, vrtt, dbit, dfps, dblock, dloss, dwidth, dheight, djitter, drtt). " +
        "A sample sent again is stored once. If any line is invalid nothing is stored and the 400 names each bad line " +
        "(index from 0, blank lines not counted). With a browser upload token (`Bearer rlbt1.…`) every sample must be " +
        "the token's room and measured by its user (uplink uid = user, or downlink peer_id = user), else 403; an expired " +
        "token gets 401. CORS: origins allowed per app (admin API PUT /admin/v1/rtc/apps/{appId}/browser). " +
        "429/503 with Retry-After when the server is saturated: retry later.",
      security: [{ ingestKey: [] }, { browserToken: [] }],
      body: QosLine,
      response: { 200: Ack },
    },
    async handler({ app: application, body }) {
      if (body.kind !== "stream") throw new Error("QoS uploads take a stream body");
      const stime = ctx.clock.now();
      const { batch, bad, received } = await readSamples(body.stream, stime, body.limit);
      if (bad.length > 0) throw new InvalidBatchError(`${bad.length} sample(s) are invalid; nothing was stored`, bad, received);
      const scope = browserScopeOf(application);
      const outside = scope ? outOfScope(scope, batch) : null;
      if (outside) throw nativeErrors.forbidden(`sample ${outside.index}: ${outside.reason}; nothing was stored`);
      const { accepted, expired } =
        received === 0 ? { accepted: 0, expired: 0 } : await writeQosBatch(ctx, application.appId, stime, batch);
      const duplicates = received - expired - accepted;
      return { received, accepted, duplicates, expired, points: batch.points };
    },
  };
}

async function readSamples(body: unknown, stime: number, limit: number): Promise<{ batch: QosBatch; bad: BadEvent[]; received: number }> {
  const batch = new QosBatch();
  const bad: BadEvent[] = [];
  let index = 0;
  await forEachLine(body, limit, (text) => {
    if (text.trim() === "") return;
    const i = index++;
    if (bad.length >= MAX_REPORTED_ERRORS) return;
    const line = parseLine(text); // JSON and the platform's boundary rule
    if (!line.ok) {
      bad.push({ index: i, reason: line.reason });
      return;
    }
    const raw = line.value;
    const validate = validateLine();
    if (!validate(raw)) {
      const e = validate.errors?.[0];
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
  });
  return { batch, bad, received: index };
}
