// The QoS collector in a real headless Chromium (test/support/browser.ts): a page served over
// loopback, on its own origin, with two peer connections and fake media, each measured by a
// collector with its own browser token and reporting cross-origin (CORS) to a real server.
// ListRtcClientQosDetails through the Huawei SDK core then returns series whose every point
// matches what this test recomputes from the raw getStats() reports the collectors obtained
// (recorded in the page). Then the same call through a UDP relay with 10% loss and 40 ms
// added each way: loss and RTT must reflect it within the tolerances stated below.
// One server (PGlite: the storage paths are covered by the ingest tests on both backends),
// one browser, bounded: each call runs CALL_S seconds; the whole file stays under ~60 s.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { ROOT, startServer, type TestServer } from "../support/server.ts";
import { hcClient, qosDetails } from "../support/huawei.ts";
import { launchBrowser } from "../support/browser.ts";
import { startUdpRelay, type UdpRelay } from "../support/udp-relay.ts";
import { mintBrowserToken } from "../../src/products/rtc/browser/browser-tokens.ts";

const CALL_S = 11;
const COLLECTOR = readFileSync(join(ROOT, "src/products/rtc/browser/qos-collector.js"), "utf8");
const PAGE = readFileSync(join(ROOT, "test/rtc/fixtures/qos-page.html"), "utf8");
const MIDS = ["abit", "vbit", "vfps", "aloss", "vloss", "ajitter", "vjitter", "artt", "vrtt", "vblock"] as const;

type Stat = Record<string, any> & { id: string; type: string; kind?: string; timestamp: number };
type Snapshot = { pc: "alice" | "bob"; stats: Stat[] };
type Expected = Map<string, Record<string, number>>;

const second = (ms: number) => `${new Date(Math.floor(Math.round(ms) / 1000) * 1000).toISOString().slice(0, 19)}Z`;

/**
 * The metrics recomputed here from the raw reports, by their definitions (README table), per
 * sample time: alice's reports give her uplink, bob's his downlink of alice's stream.
 */
function recompute(log: Snapshot[], pc: "alice" | "bob"): Expected {
  const out: Expected = new Map();
  const reports = log.filter((s) => s.pc === pc).map((s) => new Map(s.stats.map((x) => [x.id, x])));
  for (let i = 1; i < reports.length; i++) {
    const [prev, cur] = [reports[i - 1]!, reports[i]!];
    const m: Record<string, number> = {};
    let time = 0;
    for (const s of cur.values()) {
      const p = prev.get(s.id);
      const k = s.kind === "audio" ? "a" : "v";
      const dtS = p ? (s.timestamp - p.timestamp) / 1000 : 0;
      if (pc === "alice" && s.type === "outbound-rtp" && dtS > 0) {
        time ||= s.timestamp;
        m[`${k}bit`] = (m[`${k}bit`] ?? 0) + ((s.bytesSent - p!.bytesSent) * 8) / 1000 / dtS;
        if (k === "v") m.vfps = (m.vfps ?? 0) + (s.framesSent - p!.framesSent) / dtS;
      }
      if (pc === "alice" && s.type === "remote-inbound-rtp") {
        m[`${k}loss`] = 100 * s.fractionLost;
        m[`${k}jitter`] = 1000 * s.jitter;
        m[`${k}rtt`] = 1000 * s.roundTripTime;
      }
      if (pc === "bob" && s.type === "inbound-rtp" && dtS > 0) {
        time ||= s.timestamp;
        m[`${k}bit`] = (m[`${k}bit`] ?? 0) + ((s.bytesReceived - p!.bytesReceived) * 8) / 1000 / dtS;
        const lost = s.packetsLost - p!.packetsLost;
        const received = s.packetsReceived - p!.packetsReceived;
        if (lost + received > 0) m[`${k}loss`] = (100 * Math.max(0, lost)) / (lost + received);
        m[`${k}jitter`] = 1000 * s.jitter;
        if (k === "v") {
          m.vfps = (m.vfps ?? 0) + (s.framesDecoded - p!.framesDecoded) / dtS;
          m.vblock = (100 * (s.totalFreezesDuration - p!.totalFreezesDuration)) / dtS;
        }
      }
      if (pc === "bob" && s.type === "remote-outbound-rtp" && s.roundTripTime !== undefined) m[`${k}rtt`] = 1000 * s.roundTripTime;
    }
    // A stat a report does not have yet (a remote-inbound-rtp before its first RTT) is no value.
    for (const [k, v] of Object.entries(m)) if (!Number.isFinite(v)) delete m[k];
    if (time) out.set(second(time), m);
  }
  return out;
}

describe("QoS collector in headless Chromium", { timeout: 120_000 }, () => {
  let server: TestServer;
  let appId: string;
  let secret: string;
  let browser: Browser;
  let pageServer: http.Server;
  let pageOrigin: string;

  before(async () => {
    // Both at once, and each kept even if the other fails, so that after() closes it.
    const [srv, brw] = await Promise.allSettled([startServer({ backend: "pglite" }), launchBrowser()]);
    if (srv.status === "fulfilled") server = srv.value;
    if (brw.status === "fulfilled") browser = brw.value;
    if (srv.status === "rejected") throw srv.reason;
    if (brw.status === "rejected") throw brw.reason;
    pageServer = http.createServer((req, res) => {
      const js = req.url === "/qos-collector.js";
      res.writeHead(js || req.url === "/" ? 200 : 404, { "content-type": js ? "text/javascript" : "text/html" });
      res.end(js ? COLLECTOR : req.url === "/" ? PAGE : "");
    });
    await new Promise<void>((r) => pageServer.listen(0, "127.0.0.1", r));
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    appId = await server.createApp(["rtc"]);
    secret = (await server.admin<{ secret: string }>("POST", `/rtc/apps/${appId}/browser`, { origins: [pageOrigin] })).secret;
  });
  after(async () => {
    const proc = browser?.process();
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
    if (proc && proc.exitCode === null) proc.kill("SIGKILL");
    pageServer?.close();
    await server?.stop();
  });

  /** One call of CALL_S seconds in a fresh page; returns the recorded reports. */
  async function call(roomId: string, relay: UdpRelay | null, seconds = CALL_S): Promise<Snapshot[]> {
    const page: Page = await browser.newPage();
    try {
      page.setDefaultTimeout(30_000);
      if (relay) await page.exposeFunction("relayFor", (host: string, port: number) => relay.forward(host, port));
      await page.goto(`${pageOrigin}/`);
      await page.waitForFunction("window.pageReady === true");
      const mint = (userId: string) => mintBrowserToken({ appId, roomId, userId, secret, ttlSeconds: 300 });
      const result = (await page.evaluate((o) => (globalThis as any).runCall(o), {
        url: server.url,
        roomId,
        aliceToken: mint("alice"),
        bobToken: mint("bob"),
        seconds,
        relayed: relay !== null,
      })) as { pending: number };
      const errors = (await page.evaluate("window.collectorErrors")) as string[];
      assert.deepEqual(errors, [], "the collectors reported no error (uploads, CORS, tokens)");
      assert.equal(result.pending, 0, "every sample was uploaded by stop()");
      return (await page.evaluate("window.statsLog")) as Snapshot[];
    } finally {
      await page.close().catch(() => {});
    }
  }

  async function series(roomId: string, log: Snapshot[]) {
    const times = log.flatMap((s) => s.stats.map((x) => x.timestamp));
    const res = await qosDetails(hcClient(server), {
      app_id: appId,
      room_id: roomId,
      user_id: "alice",
      mid: [...MIDS],
      start_time: second(Math.min(...times) - 60_000),
      end_time: second(Math.max(...times) + 60_000),
      limit: 1000,
    });
    return res.data ?? [];
  }

  test("every point served equals the getStats deltas recomputed here, uplink and downlink", async () => {
    const log = await call("direct", null);
    const data = await series("direct", log);
    const expected = { "0": recompute(log, "alice"), bob: recompute(log, "bob") } as Record<string, Expected>;
    const seen = new Set<string>();
    for (const s of data) {
      assert.equal(s.uid, "alice");
      const exp = expected[s.peerid]!;
      assert.ok(exp, `peerid ${s.peerid}`);
      seen.add(`${s.peerid}/${s.mid}`);
      const wanted = [...exp].filter(([, m]) => m[s.mid] !== undefined);
      assert.deepEqual(
        s.data.map((p) => p.time),
        wanted.map(([t]) => t),
        `${s.peerid}/${s.mid}: the sample times`,
      );
      for (const p of s.data) {
        const want = exp.get(p.time)![s.mid]!;
        // Stored as float4: 7 significant digits.
        assert.ok(
          Math.abs(p.value - want) <= 1e-5 * Math.max(1, Math.abs(want)),
          `${s.peerid}/${s.mid} at ${p.time}: ${p.value} vs ${want}`,
        );
      }
    }
    // What a Chromium call over loopback must yield (vrtt downlink: Chrome has no remote-outbound
    // video RTT; uplink artt, checked above when served, rests on audio receiver reports that
    // come about every 5 s).
    for (const key of [
      "0/abit",
      "0/vbit",
      "0/vfps",
      "0/aloss",
      "0/vrtt",
      "bob/abit",
      "bob/vbit",
      "bob/vfps",
      "bob/aloss",
      "bob/vloss",
      "bob/ajitter",
      "bob/vjitter",
      "bob/vblock",
    ]) {
      assert.ok(seen.has(key), `series ${key} is served (${[...seen].join(" ")})`);
    }
    const vbit = data.find((s) => s.peerid === "bob" && s.mid === "vbit")!;
    assert.ok(vbit.data.length >= 4, `at least 4 points in ${CALL_S} s (${vbit.data.length})`);
    assert.ok(
      vbit.data.every((p) => p.value > 20),
      "video flows",
    );
  });

  test("through a relay with 10% loss and 40 ms each way: loss and RTT reflect it", async () => {
    const relay = startUdpRelay({ loss: 0.1, delayMs: 40 });
    let log: Snapshot[];
    try {
      log = await call("relayed", relay, CALL_S + 3);
      const st = relay.stats();
      assert.ok(st.passed > 500, `media crossed the relay (${st.passed} passed, ${st.dropped} dropped)`);
    } finally {
      await relay.close();
    }
    const data = await series("relayed", log);
    const values = (peer: string, mid: string) => data.find((s) => s.peerid === peer && s.mid === mid)?.data.map((p) => p.value) ?? [];
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // At least 2 points each: on a loaded machine ICE through the relay and the first
    // receiver reports take a few seconds of the call (a run beside another test file had
    // fewer than 3 RTT points).
    // Audio has no retransmission: its measured loss is the relay's drop rate plus what the
    // loaded machine itself loses. Over ~10 s of 50 packets/s a binomial 10% has a standard
    // deviation of ~1.4 points, so 6 % is the floor; but in the full suite on 2 busy cores
    // the relay's timers and the kernel's socket buffers drop datagrams of their own (CI
    // measured 14.7 % over 7 points, where a quiet machine gives 8.9–11.7 %), hence a 20 %
    // ceiling. The formula itself is checked exactly by the direct call above (every point
    // equals the page's own recomputation); this test checks that injected loss shows.
    const aloss = mean(values("bob", "aloss"));
    // RTT: 2 × 40 ms added to a loopback RTT of ~1 ms. Chrome's RTCP-based RTT of audio came
    // out above that (first run: audio 112.6 ms, video 84.6 ms; the audio receiver's report
    // timing adds to it; on a loaded machine the relay's timers fire late too), so the band is
    // 70–200 ms: it still tells a relayed call (≥ 80 ms) from a direct one (~1 ms).
    const artt = mean(values("0", "artt"));
    const vrtt = mean(values("0", "vrtt"));
    console.log(
      `relay 10% / 40 ms each way: downlink aloss ${aloss.toFixed(1)} %, vloss ${mean(values("bob", "vloss")).toFixed(1)} %, uplink aloss ${mean(values("0", "aloss")).toFixed(1)} %, artt ${artt.toFixed(1)} ms, vrtt ${vrtt.toFixed(1)} ms`,
    );
    assert.ok(
      values("bob", "aloss").length >= 2 && aloss >= 6 && aloss <= 20,
      `downlink audio loss ${aloss} % (${values("bob", "aloss").length} points)`,
    );
    // Chrome sends audio receiver reports about every 5 s, and the relay drops 10% of them:
    // a short call may have no audio RTT at all (seen once in four runs), so audio RTT is
    // checked when present; video's reports come about every second and are required.
    const nArtt = values("0", "artt").length;
    if (nArtt > 0) assert.ok(artt >= 70 && artt <= 200, `uplink audio RTT ${artt} ms (${nArtt} points)`);
    const nVrtt = values("0", "vrtt").length;
    assert.ok(nVrtt >= 2 && vrtt >= 70 && vrtt <= 200, `uplink video RTT ${vrtt} ms (${nVrtt} points)`);
  });
});
