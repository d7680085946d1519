// The answer writer (qos-details-json.ts) against the obvious construction: any ids
// (Unicode included), any series text, the same JSON once parsed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { qosDetailsJson, type QosEntry } from "../../src/products/rtc/qos-details-json.ts";
import { METRIC_IDS } from "../../src/products/rtc/metrics.ts";
import { formatUtcSecond } from "../../src/products/rtc/query-window.ts";

const point = fc.record({
  // Five days around now, whole seconds.
  t: fc.integer({ min: 1_790_000_000, max: 1_790_432_000 }),
  // What PostgreSQL prints for a float4 in 0..1e30, or absent.
  v: fc.option(
    fc.oneof(
      fc.float({ min: 0, max: Math.fround(1e30), noNaN: true }).map((x) => String(Math.abs(x))),
      fc.constantFrom("0", "812.5", "1e+30", "1e-05", "1.1754944e-38"),
    ),
    { nil: null },
  ),
});

const entry = fc.record({
  uid: fc.string({ minLength: 1, maxLength: 8, unit: "binary" }),
  peerId: fc.string({ minLength: 1, maxLength: 8, unit: "binary" }),
  mid: fc.constantFrom(...METRIC_IDS),
  points: fc.array(point, { minLength: 1, maxLength: 30 }).map((ps) => ps.sort((a, b) => a.t - b.t)),
});

test("property: the written answer parses to the seed's shape with every present value, in order", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 10, unit: "binary" }), fc.array(entry, { maxLength: 5 }), (roomId, raw) => {
      const entries: QosEntry[] = raw.map((e) => ({
        key: { uid: e.uid, peerId: e.peerId, streamId: "", direction: 0 },
        mid: e.mid,
        times: e.points.map((p) => String(p.t)).join(","),
        values: e.points.map((p) => p.v ?? "").join(","),
        points: e.points.filter((p) => p.v !== null).length,
      }));
      const expected = {
        room_id: roomId,
        data: raw.map((e) => ({
          uid: e.uid,
          peerid: e.peerId,
          mid: e.mid,
          data: e.points.filter((p) => p.v !== null).map((p) => ({ time: formatUtcSecond(p.t * 1000), value: Number(p.v) })),
        })),
      };
      assert.deepEqual(JSON.parse(qosDetailsJson(roomId, entries).toString("utf8")), JSON.parse(JSON.stringify(expected)));
    }),
    { numRuns: 300 },
  );
});

test("the seed's example shape, byte for byte", () => {
  const json = qosDetailsJson("room1", [
    {
      key: { uid: "u1", peerId: "0", streamId: "", direction: 0 },
      mid: "appcpu",
      times: "1704067200,1704067202,1704067204",
      values: "12.5,,7",
      points: 2,
    },
  ]).toString("utf8");
  assert.equal(
    json,
    '{"room_id":"room1","data":[{"uid":"u1","peerid":"0","mid":"appcpu","data":[{"time":"2024-01-01T00:00:00Z","value":12.5},{"time":"2024-01-01T00:00:04Z","value":7}]}]}',
  );
});
