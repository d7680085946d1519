// ListRtcClientQosDetails parameter rules as pure functions: presence order, the time rules
// at their boundaries, and a property test that any query string gets a wire error or a
// parsed request, never anything else.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { ApiError } from "../../src/errors/api-error.ts";
import { parseQosDetailsRequest } from "../../src/products/rtc/list-rtc-client-qos-details.ts";
import { formatUtcSecond, parseUtcSecond, windowProblem } from "../../src/products/rtc/query-window.ts";
import { METRIC_IDS } from "../../src/products/rtc/metrics.ts";

const H = 3600_000;
const D = 24 * H;
const NOW = Date.UTC(2026, 10, 22, 9, 30, 0, 400);

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err;
  }
  throw new Error("expected an error");
}

const base: [string, string][] = [
  ["app_id", "a"],
  ["room_id", "r"],
  ["mid", "appcpu"],
  ["start_time", "2026-11-22T06:00:00Z"],
  ["end_time", "2026-11-22T07:00:00Z"],
];

describe("ListRtcClientQosDetails rules", () => {
  test("each missing parameter, in order, with the seed's wording", () => {
    for (let i = 0; i < base.length; i++) {
      const e = errorOf(() =>
        parseQosDetailsRequest(
          base.filter((_, j) => j !== i),
          NOW,
        ),
      );
      assert.equal(e.code, "DATA.100011001");
      assert.equal(e.message, `Required String parameter '${base[i]![0]}' is not present`);
      assert.equal(e.httpStatus, 400);
    }
    // Several missing: the first in the order app_id, room_id, mid, start_time, end_time.
    assert.equal(errorOf(() => parseQosDetailsRequest(base.slice(3), NOW)).message, "Required String parameter 'app_id' is not present");
    assert.equal(errorOf(() => parseQosDetailsRequest(base.slice(0, 2), NOW)).message, "Required String parameter 'mid' is not present");
  });

  test("mid: comma-separated, repeated, all, unknown", () => {
    const p = (mid: [string, string][]) => parseQosDetailsRequest([...base.filter(([k]) => k !== "mid"), ...mid], NOW).query.mids;
    assert.deepEqual(p([["mid", "vbit,appcpu"]]), ["appcpu", "vbit"]);
    assert.deepEqual(
      p([
        ["mid", "vbit"],
        ["mid", "appcpu,vbit"],
      ]),
      ["appcpu", "vbit"],
    );
    assert.deepEqual(p([["mid", "all"]]), [...METRIC_IDS]);
    assert.equal(errorOf(() => p([["mid", "adelay"]])).code, "RTC.00001003");
    assert.equal(errorOf(() => p([["mid", ""]])).code, "RTC.00001003");
    assert.equal(errorOf(() => p([["mid", "appcpu,"]])).code, "RTC.00001003");
  });

  test("time format: UTC whole seconds with Z only", () => {
    assert.equal(parseUtcSecond("2020-04-23T06:00:00Z"), Date.UTC(2020, 3, 23, 6));
    for (const bad of [
      "2020-04-23T06:00:00",
      "2020-04-23T06:00:00.000Z",
      "2020-04-23 06:00:00Z",
      "2020-02-30T00:00:00Z",
      "2020-04-23T24:00:00Z",
      "2020-04-23T06:00:00+08:00",
    ]) {
      assert.equal(parseUtcSecond(bad), null, bad);
    }
    assert.equal(formatUtcSecond(Date.UTC(2024, 0, 2, 3, 4, 5, 999)), "2024-01-02T03:04:05Z");
  });

  test("five days back: at the boundary yes, one second before no", () => {
    const nowS = Math.floor(NOW / 1000) * 1000;
    assert.equal(windowProblem(nowS - 5 * D, nowS - 5 * D + H, NOW, true), null);
    assert.match(String(windowProblem(nowS - 5 * D - 1000, nowS - 5 * D + H, NOW, true)), /five days/);
  });

  test("24 hours: exactly allowed, one second more refused; end before start refused", () => {
    const s = Date.UTC(2026, 10, 21, 6);
    assert.equal(windowProblem(s, s + D, NOW, true), null);
    assert.match(String(windowProblem(s, s + D + 1000, NOW, true)), /24 hours/);
    assert.match(String(windowProblem(s, s - 1000, NOW, true)), /earlier/);
    assert.equal(windowProblem(s, s, NOW, true), null);
  });

  test("crossing a UTC day: a single user only", () => {
    const s = Date.UTC(2026, 10, 21, 23);
    assert.equal(windowProblem(s, s + 2 * H, NOW, true), null);
    assert.match(String(windowProblem(s, s + 2 * H, NOW, false)), /single user/);
    assert.equal(windowProblem(Date.UTC(2026, 10, 21), Date.UTC(2026, 10, 21, 23, 59, 59), NOW, false), null);
  });

  test("optional values: direction, time_type, limit, offset, repeats", () => {
    const p = (extra: [string, string][]) => parseQosDetailsRequest([...base, ...extra], NOW);
    assert.equal(p([["direction", "uplink"]]).query.direction, 0);
    assert.equal(p([["direction", "downlink"]]).query.direction, 1);
    assert.equal(p([["time_type", "stime"]]).query.timeField, "stime");
    assert.equal(p([]).query.timeField, "ctime");
    assert.deepEqual([p([]).limit, p([]).offset], [100, 0]);
    assert.deepEqual(
      [
        p([
          ["limit", "1000"],
          ["offset", "7"],
        ]).limit,
        p([["offset", "7"]]).offset,
      ],
      [1000, 7],
    );
    assert.equal(p([["user_id", ""]]).query.uid, undefined);
    for (const bad of [
      ["direction", "sideways"],
      ["time_type", "utime"],
      ["limit", "0"],
      ["limit", "1001"],
      ["limit", "-1"],
      ["offset", "x"],
      ["app_id", "b"],
      ["user_id", "a\u0000"],
    ] as [string, string][]) {
      const e = errorOf(() => p([bad]));
      assert.equal(e.code, "RTC.00001003", bad.join("="));
      assert.equal(e.httpStatus, 400);
    }
  });

  test("property: any query gets a parsed request or a 400 wire error", () => {
    const names = fc.constantFrom(
      "app_id",
      "room_id",
      "mid",
      "start_time",
      "end_time",
      "user_id",
      "peer_id",
      "stream_id",
      "direction",
      "time_type",
      "limit",
      "offset",
      "domain",
      "x",
    );
    const values = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom("all", "appcpu,vbit", "2026-11-22T06:00:00Z", "2026-11-21T06:00:00Z", "uplink", "stime", "5", "-1"),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 16 }), (pairs) => {
        try {
          parseQosDetailsRequest(pairs, NOW);
        } catch (err) {
          assert.ok(err instanceof ApiError);
          assert.equal(err.httpStatus, 400);
          assert.match(err.code, /^(DATA\.100011001|RTC\.00001003)$/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
