// TRRO domain rules with hand-built inputs: quality, silence, windows, device status,
// details, wire formats.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { notBadRatio, sampleSeverity, sessionQuality } from "../../src/products/trro/quality.ts";
import { silenceVerdict } from "../../src/products/trro/silence-job.ts";
import { msWindow, recentWindow } from "../../src/products/trro/session-window.ts";
import { deviceStatus } from "../../src/products/trro/device-status.ts";
import { sessionDetails } from "../../src/products/trro/session-details.ts";
import { cstTime, resolution } from "../../src/products/trro/wire-format.ts";
import { scopeToDevice } from "../../src/products/trro/report-routes.ts";

describe("quality", () => {
  test("samples: thresholds are exclusive", () => {
    assert.deepEqual(sampleSeverity(150, 3), { poor: false, bad: false });
    assert.deepEqual(sampleSeverity(151, 0), { poor: true, bad: false });
    assert.deepEqual(sampleSeverity(0, 3.5), { poor: true, bad: false });
    assert.deepEqual(sampleSeverity(301, 0), { poor: true, bad: true });
    assert.deepEqual(sampleSeverity(10, 10.1), { poor: true, bad: true });
  });
  test("sessions: the worst 5 % decide", () => {
    assert.equal(sessionQuality(0, 0, 0), "normal");
    assert.equal(sessionQuality(100, 5, 5), "good", "exactly 5 % is within the tail");
    assert.equal(sessionQuality(100, 6, 0), "normal");
    assert.equal(sessionQuality(100, 6, 6), "bad");
    assert.equal(sessionQuality(1, 1, 1), "bad");
    assert.equal(sessionQuality(10, 0, 0), "good");
  });
  test("property: more bad samples never improve a session", () => {
    const rank = { good: 0, normal: 1, bad: 2 };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (n, p, b) => {
        const poor = Math.min(p, n),
          bad = Math.min(b, poor);
        if (poor < n) assert.ok(rank[sessionQuality(n, poor + 1, bad)] >= rank[sessionQuality(n, poor, bad)]);
        if (bad < poor) assert.ok(rank[sessionQuality(n, poor, bad + 1)] >= rank[sessionQuality(n, poor, bad)]);
      }),
    );
  });
  test("NotBadSessionRatio", () => {
    assert.equal(notBadRatio(0, 0), 0);
    assert.equal(notBadRatio(3, 1), 66.67);
    assert.equal(notBadRatio(6, 0), 100);
  });
});

describe("silence", () => {
  const base = {
    end_time: null,
    start_time: 1000,
    field_last: null,
    remote_last: null,
    field_seen: null,
    remote_seen: null,
    last_report_time: 1000,
    silence_ms: 60_000,
  };
  test("closed sessions are left alone", () => {
    assert.equal(silenceVerdict({ ...base, end_time: 5000 }, 10 ** 9), null);
  });
  test("not silent yet: due again when the quietest side could be", () => {
    const s = { ...base, field_seen: 10_000, remote_seen: 20_000, field_last: 9000, remote_last: 19_000, last_report_time: 19_000 };
    assert.deepEqual(silenceVerdict(s, 50_000), { recheckAt: 70_000 });
  });
  test("both sides silent: ends at the last report", () => {
    const s = { ...base, field_seen: 10_000, remote_seen: 20_000, field_last: 9000, remote_last: 19_000, last_report_time: 19_000 };
    assert.deepEqual(silenceVerdict(s, 80_000), { close: 19_000 });
  });
  test("one side vanished while the other reports: ends at the vanished side's last report", () => {
    const s = { ...base, field_seen: 10_000, remote_seen: 75_000, field_last: 9000, remote_last: 74_000, last_report_time: 74_000 };
    assert.deepEqual(silenceVerdict(s, 80_000), { close: 9000 });
  });
  test("a side that never reported does not count; the end is never before the start", () => {
    const s = { ...base, start_time: 5000, remote_seen: 10_000, remote_last: 1000, last_report_time: 5000 };
    assert.deepEqual(silenceVerdict(s, 70_000), { close: 5000 });
    assert.deepEqual(silenceVerdict(s, 69_999), { recheckAt: 70_000 });
  });
});

describe("windows", () => {
  test("seconds, EndTime inclusive, open end", () => {
    assert.deepEqual(msWindow(10, 20), { fromMs: 10_000, toMs: 21_000 });
    assert.equal(msWindow(undefined, undefined).fromMs, 0);
    assert.ok(msWindow(undefined, undefined).toMs > Date.UTC(9999, 0));
  });
  test("recent: clamped to the last two hours", () => {
    const now = 10_000_000;
    assert.deepEqual(recentWindow(undefined, undefined, now), { fromMs: now - 7_200_000, toMs: now + 1 });
    assert.deepEqual(recentWindow(0, 99_999_999, now), { fromMs: now - 7_200_000, toMs: now + 1 });
    assert.deepEqual(recentWindow(9000, 9500, now), { fromMs: 9_000_000, toMs: 9_501_000 });
  });
});

describe("device status", () => {
  const d = { online: true, lastSeen: 100_000, presenceMs: 30_000, now: 120_000, inOpenSession: false };
  test("rules", () => {
    assert.equal(deviceStatus(d), "ready");
    assert.equal(deviceStatus({ ...d, inOpenSession: true }), "connected");
    assert.equal(deviceStatus({ ...d, now: 130_001 }), "offline");
    assert.equal(deviceStatus({ ...d, online: false, inOpenSession: true }), "offline");
    assert.equal(deviceStatus({ ...d, lastSeen: null }), "offline");
  });
});

describe("session details", () => {
  const session = {
    session_id: "p-1",
    remote_device_id: "r",
    field_device_id: "f",
    resolution: "",
    start_time: 1_000_000,
    end_time: 1_010_000,
    last_report_time: 1_010_000,
    quality: "good",
    field_info: { ver: "1.0", configWidth: 1280, configHeight: 720, multiMode: 1 },
    remote_info: null,
  };
  test("series stay aligned; missing points are 0; absent series are empty; nets by id", () => {
    const samples = [
      {
        device_id: "f",
        t: 1_001_000,
        m: {
          rate: 1,
          decodeCost: 5,
          multiNet: [
            { netId: 2, netIp: "10.0.0.2", rtt: 30 },
            { netId: 1, rtt: 20 },
          ],
        },
      },
      { device_id: "f", t: 1_003_500, m: { rate: 2, width: 640, height: 360, multiNet: [{ netId: 1, rtt: 25 }] } },
    ];
    const [f, ...rest] = sessionDetails("p", session, samples);
    assert.equal(rest.length, 0, "the remote side never reported");
    assert.deepEqual(f!.Rate, [1, 2]);
    assert.deepEqual(f!.DecodeCost, [5, 0]);
    assert.deepEqual(f!.Fps, []);
    assert.deepEqual(f!.TimeOffset, [0, 2]);
    assert.deepEqual([f!.StartTime, f!.EndTime], [1001, 1003]);
    assert.deepEqual(
      [f!.Width, f!.Height, f!.ConfigWidth, f!.ConfigHeight, f!.MultiMode, f!.Ver, f!.SdkMode],
      [640, 360, 1280, 720, 1, "1.0", ""],
    );
    assert.deepEqual(f!.MultiNet, [
      { NetId: 1, NetIp: "", Rtt: [20, 25], Lost: [0, 0], SendBps: [0, 0], RecvBps: [0, 0] },
      { NetId: 2, NetIp: "10.0.0.2", Rtt: [30], Lost: [0], SendBps: [0], RecvBps: [0] },
    ]);
  });
  test("a side with a start report but no samples spans the session", () => {
    const [, r] = sessionDetails("p", { ...session, remote_info: {} }, []);
    assert.deepEqual([r!.DeviceType, r!.StartTime, r!.EndTime, r!.Rate], ["remote", 1000, 1010, []]);
  });
});

describe("wire formats and report scoping", () => {
  test("China Standard Time strings and resolutions", () => {
    assert.equal(cstTime(Date.UTC(2022, 2, 22, 5, 8, 4)), "2022-03-22T13:08:04+08:00");
    assert.equal(cstTime(Date.UTC(2022, 11, 31, 16, 0, 0)), "2023-01-01T00:00:00+08:00");
    assert.equal(resolution(1920, 1080), "1920*1080");
    assert.equal(resolution(undefined, 1080), "");
  });
  test("events are scoped to the authenticated device", () => {
    const { events, bad } = scopeToDevice(
      [
        { id: "1", type: "trro.device.online", ctime: 1, data: {} },
        { id: "2", type: "trro.device.online", ctime: 1, data: { deviceId: "me" } },
        { id: "3", type: "trro.device.online", ctime: 1, data: { deviceId: "you" } },
        { id: "4", type: "lcic.x", ctime: 1, data: {} },
        { id: "y".repeat(96), type: "trro.device.online", ctime: 1, data: {} },
        "junk",
      ],
      "me",
    );
    assert.deepEqual(events[0], { id: "me/1", type: "trro.device.online", ctime: 1, data: { deviceId: "me" } });
    assert.deepEqual(events[1], { id: "me/2", type: "trro.device.online", ctime: 1, data: { deviceId: "me" } });
    assert.deepEqual(
      bad.map((b) => b.index),
      [2, 3, 4],
    );
    assert.equal(events[5], "junk", "left for the registry to name");
  });
});
