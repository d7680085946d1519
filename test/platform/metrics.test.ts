// The API's request counter and latency histogram are counted by roomledger itself (issue 22:
// prom-client's own hash the labels on every call); what /metrics shows must stay exactly
// what prom-client's Counter and Histogram show for the same observations.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Counter, Histogram, Registry } from "prom-client";
import { Metrics } from "../../src/observability/metrics.ts";

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** prom-client's own metrics, declared as metrics.ts declared them before. */
function reference() {
  const registry = new Registry();
  const requests = new Counter({
    name: "roomledger_api_requests_total",
    help: "API requests by protocol, service, action and result code (OK or the error code).",
    labelNames: ["protocol", "service", "action", "code"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "roomledger_api_request_duration_seconds",
    help: "API request latency by protocol, service and action.",
    labelNames: ["protocol", "service", "action"] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observe(protocol: string, service: string, action: string, code: string, seconds: number) {
      requests.inc({ protocol, service, action, code });
      latency.observe({ protocol, service, action }, seconds);
    },
  };
}

/** The API metrics' lines of an exposition, in a stable order. */
const apiLines = (text: string): string =>
  text
    .split("\n")
    .filter((l) => l.includes("roomledger_api_"))
    .sort()
    .join("\n");

const observation = fc.record({
  protocol: fc.constantFrom("tencent", "huawei"),
  service: fc.constantFrom("roomledger", "lcic", "tiw"),
  action: fc.constantFrom("Echo", "DescribeRoom", "unknown"),
  code: fc.constantFrom("OK", "InvalidParameter", "AuthFailure.SignatureFailure"),
  // Bounds themselves, values on either side of them, and past the last one.
  seconds: fc.oneof(fc.constantFrom(...BUCKETS, 0, 5.0001, 30), fc.double({ min: 0, max: 10, noNaN: true })),
});

test("the API request counter and latency histogram read as prom-client's own Counter and Histogram", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(observation, { maxLength: 60 }), async (observations) => {
      const ours = new Metrics();
      const theirs = reference();
      for (const o of observations) {
        ours.observe(o.protocol, o.service, o.action, o.code, o.seconds);
        theirs.observe(o.protocol, o.service, o.action, o.code, o.seconds);
      }
      assert.equal(apiLines(await ours.registry.metrics()), apiLines(await theirs.registry.metrics()));
    }),
  );
});

test("resetMetrics empties the API series, as it does prom-client's", async () => {
  const ours = new Metrics();
  ours.observe("tencent", "roomledger", "Echo", "OK", 0.002);
  ours.registry.resetMetrics();
  assert.doesNotMatch(await ours.registry.metrics(), /^roomledger_api_requests_total\{/m);
});
