// The proof end to end: a real Janus (Debian's janus, installed when missing: support/janus.ts)
// with its HTTP event handler pointed at a real roomledger, and headless Chromium
// participants (support/browser.ts, fake camera and microphone) in a VideoRoom, speaking
// Janus's HTTP API from fixtures/janus-page.html. What the test did (when Janus answered each
// join and leave, read from the page on the same clock) is compared with what the official
// SDKs read back: tencentcloud-sdk-nodejs's DescribeRoomStatistics and the Huawei SDK core's
// ListRtcClientQosDetails. Then a call through the UDP relay (support/udp-relay.ts) dropping
// 10 % of the datagrams each way: the loss Janus measured shows it, the clean call does not.
// One server (PGlite: the storage paths are the route test's, on both backends), one Janus,
// one browser; bounded (CALL_S, RELAY_S); the whole file stays under two minutes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { startServer, type TestServer } from "../support/server.ts";
import { clientConfig, sdk, sdkError } from "../support/tencent.ts";
import { hcClient, qosDetails } from "../support/huawei.ts";
import { launchBrowser } from "../support/browser.ts";
import { janusPath, startJanus, type JanusServer } from "../support/janus.ts";
import { startUdpRelay, type UdpRelay } from "../support/udp-relay.ts";
import { createVideoRoom } from "./janus-room.ts";

/** The first call: all three in for CALL_S seconds; bob leaves at LEAVE_S and is back at BACK_S. */
const CALL_S = 20;
const LEAVE_S = 6;
const BACK_S = 10;
const RELAY_S = 14;
const TOLERANCE_S = 3;
const PAGE = readFileSync(join(import.meta.dirname, "fixtures", "janus-page.html"), "utf8");
const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;
const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));
/**
 * This host's own IPv4 address, where the relay listens: Janus never gathers on loopback and
 * ignores loopback peers (support/udp-relay.ts). Traffic to it stays inside this machine.
 */
function relayHost(): string {
  const found = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal);
  if (!found) throw new Error("the relayed Janus call needs a non-loopback IPv4 address on this host (Janus ignores loopback)");
  return found.address;
}
const mean = (v: number[]) => (v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length);

describe("Janus VideoRoom end to end with headless Chromium", { timeout: 170_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let janus: JanusServer;
  let pages: http.Server;
  let pageUrl: string;
  let lcicApp: string;
  let rtcApp: string;
  let lcic: any;
  const fileStart = Date.now();

  before(async () => {
    // Everything slow at once; each kept even if another fails, so that after() closes it.
    const [srv, brw, jns] = await Promise.allSettled([
      startServer({ backend: "pglite" }),
      launchBrowser(),
      Promise.resolve().then(janusPath),
    ]);
    if (srv.status === "fulfilled") server = srv.value;
    if (brw.status === "fulfilled") browser = brw.value;
    for (const r of [srv, brw, jns]) if (r.status === "rejected") throw r.reason;
    pages = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    await new Promise<void>((r) => pages.listen(0, "127.0.0.1", r));
    pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`;
    lcicApp = await server.createApp(["lcic"]);
    rtcApp = await server.createApp(["rtc"]);
    // A reconnect gap of 1 s: bob's deliberate 4 s absence must count as one (with the
    // default gap the model merges a short reconnect into one presence, as it should).
    await server.admin("POST", "/sources/links", {
      appId: lcicApp,
      kind: "janus",
      keyId: "janus-e2e",
      secret: "e2e-secret-1",
      reconnectGapSeconds: 1,
    });
    await server.admin("POST", "/lcic/settings", { appId: lcicApp, statisticsDelaySeconds: 0 });
    janus = await startJanus({
      backend: `${server.url}/ingest/v1/janus?qos_app=${rtcApp}`,
      backendUser: "janus-e2e",
      backendPassword: "e2e-secret-1",
    });
    lcic = new sdk.lcic.v20220817.Client(clientConfig(server) as never);
  });
  after(async () => {
    const proc = browser?.process();
    await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
    if (proc && proc.exitCode === null) proc.kill("SIGKILL");
    await janus?.stop();
    pages?.close();
    await server?.stop();
    console.log(`janus e2e: the whole file took ${((Date.now() - fileStart) / 1000).toFixed(1)} s`);
  });

  /** An LCIC class (teacher first) and the VideoRoom of the same id, as the mapping's default says. */
  async function classroom(names: string[]) {
    const users: string[] = [];
    for (const name of names) users.push((await lcic.RegisterUser({ SdkAppId: Number(lcicApp), Name: name })).UserId);
    const now = Math.floor(Date.now() / 1000);
    const { RoomId } = await lcic.CreateRoom({
      SdkAppId: Number(lcicApp),
      Name: "Janus class",
      TeacherId: users[0],
      StartTime: now + 60,
      EndTime: now + 3600,
      Resolution: 1,
      MaxMicNumber: 3,
      SubType: "videodoc",
    });
    await createVideoRoom(janus.url, RoomId);
    return { roomId: RoomId as number, users };
  }

  async function participant(relay: UdpRelay | null): Promise<Page> {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    if (relay) await page.exposeFunction("relayFor", (host: string, port: number) => relay.forward(host, port));
    await page.goto(pageUrl);
    await page.waitForFunction("window.pageReady === true");
    return page;
  }
  const join = (p: Page, room: number, display: string, relayed: boolean) =>
    p.evaluate((o) => (globalThis as any).join(o), { url: janus.url, room, display, relayed, relayHost: relayHost() }) as Promise<{
      joinSentAt: number;
      joinedAt: number;
    }>;
  const leave = (p: Page) => p.evaluate("window.leave()") as Promise<{ leaveSentAt: number; leftAt: number }>;

  async function series(room: number, user: string) {
    const res = await qosDetails(hcClient(server), {
      app_id: rtcApp,
      room_id: String(room),
      user_id: user,
      mid: "all",
      start_time: iso(fileStart - 60_000),
      end_time: iso(Date.now() + 60_000),
      limit: 1000,
    });
    return res.data ?? [];
  }
  const points = (data: Awaited<ReturnType<typeof series>>, mid: string, uplink: boolean) =>
    data.filter((s) => s.mid === mid && (s.peerid === "0") === uplink).flatMap((s) => s.data.map((p) => p.value));

  /** Polls `fn` until it returns a value (bounded): Janus delivers its events within a second or so. */
  async function eventually<T>(what: string, fn: () => Promise<T | null>, ms = 20_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== null) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s\n${janus.log().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  test(`three participants for ${CALL_S} s, one leaves and comes back: presence within ±${TOLERANCE_S} s, QoS series served`, async () => {
    const t0 = Date.now();
    const { roomId, users } = await classroom(["Teacher", "Bob", "Carol"]);
    const [teacher, bob, carol] = users as [string, string, string];
    const [pt, pb, pc] = await Promise.all([participant(null), participant(null), participant(null)]);
    // Each join and leave as an interval [request sent, answer received]: Janus did it in
    // between (on a loaded machine an answer can take seconds to come back).
    type Span = { from: number; to: number };
    const real = new Map<string, { joined: Span; left: Span }[]>(users.map((u) => [u, []]));
    const never = { from: Number.NaN, to: Number.NaN };
    const opened = (u: string, r: { joinSentAt: number; joinedAt: number }) =>
      real.get(u)!.push({ joined: { from: r.joinSentAt, to: r.joinedAt }, left: never });
    const closed = (u: string, r: { leaveSentAt: number; leftAt: number }) =>
      (real.get(u)!.at(-1)!.left = { from: r.leaveSentAt, to: r.leftAt });
    try {
      const start = Date.now();
      // The teacher first (a teacher's join starts the class), then the others.
      opened(teacher, await join(pt, roomId, teacher, false));
      const joins = await Promise.all([join(pb, roomId, bob, false), join(pc, roomId, carol, false)]);
      opened(bob, joins[0]);
      opened(carol, joins[1]);
      await sleepUntil(start + LEAVE_S * 1000);
      closed(bob, await leave(pb));
      await sleepUntil(start + BACK_S * 1000);
      opened(bob, await join(pb, roomId, bob, false));
      await sleepUntil(start + CALL_S * 1000);
      for (const [u, p] of [
        [teacher, pt],
        [bob, pb],
        [carol, pc],
      ] as const) {
        closed(u, await leave(p));
      }
      for (const p of [pt, pb, pc]) assert.deepEqual(await p.evaluate("window.pageErrors"), [], "the pages saw no error");
    } finally {
      await Promise.all([pt, pb, pc].map((p) => p.close().catch(() => {})));
    }
    console.log(`janus e2e: the ${CALL_S} s call took ${((Date.now() - t0) / 1000).toFixed(1)} s with set-up`);

    // Everyone's quit has arrived when the live member list is empty; then the class ends.
    await eventually("every quit recorded", async () => {
      const live = await lcic.DescribeCurrentMemberList({ RoomId: roomId, Page: 1, Limit: 100 });
      return live.Total === 0 ? true : null;
    });
    await lcic.EndRoom({ RoomId: roomId });
    const stats = await eventually("the class statistics", async () => {
      const r = await lcic.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 100 }).catch((e: any) => e);
      return r.MemberRecords ? r : null;
    });
    const rows: string[] = [];
    const checks: [boolean, string][] = [];
    for (const u of users) {
      const rec = stats.MemberRecords.find((m: any) => m.UserId === u);
      assert.ok(rec, `${u} is a member of the class`);
      const stays = real.get(u)!;
      // What the test did, as intervals (seconds): the first join, the last leave, and the
      // time present (shortest: each leave's request minus its join's answer; longest: each
      // leave's answer minus its join's request).
      const s = (ms: number) => ms / 1000;
      const first = stays[0]!.joined;
      const last = stays.at(-1)!.left;
      const present = {
        from: stays.reduce((n, x) => n + s(x.left.from - x.joined.to), 0),
        to: stays.reduce((n, x) => n + s(x.left.to - x.joined.from), 0),
      };
      const within = (v: number, span: Span, scale = s) => v >= scale(span.from) - TOLERANCE_S && v <= scale(span.to) + TOLERANCE_S;
      const fmt = (span: Span, scale = s) => `${scale(span.from).toFixed(1)}–${scale(span.to).toFixed(1)}`;
      const name = u === bob ? "bob (left, back)" : u === teacher ? "teacher" : "carol";
      rows.push(
        `${name}: PresentTime ${rec.PresentTime} s (real ${fmt(present, (x) => x)}), ` +
          `FirstJoin ${rec.FirstJoinTimestamp} (real ${fmt(first)}), LastQuit ${rec.LastQuitTimestamp} (real ${fmt(last)})`,
      );
      checks.push([within(rec.FirstJoinTimestamp, first), `${name} FirstJoinTimestamp`]);
      checks.push([within(rec.LastQuitTimestamp, last), `${name} LastQuitTimestamp`]);
      checks.push([within(rec.PresentTime, present, (x) => x), `${name} PresentTime`]);
    }
    // Printed first, so that a failure shows every figure: bob's stays, and what LCIC's event
    // list says of his joins and quits.
    const stays = (u: string) =>
      real
        .get(u)!
        .map((x) => `${(x.joined.to / 1000).toFixed(1)}–${(x.left.from / 1000).toFixed(1)}`)
        .join(", ");
    const events = await lcic.GetRoomEvent({ RoomId: roomId, SdkAppId: Number(lcicApp), Page: 1, Limit: 100 });
    const bobs = (events.Events ?? [])
      .filter((e: any) => e.EventData?.UserId === bob && /Member(Join|Quit)/.test(e.EventType))
      .map((e: any) => `${e.EventType}@${e.Timestamp}`);
    console.log(
      `janus e2e presence, measured vs real (±${TOLERANCE_S} s):\n  ${rows.join("\n  ")}\n  bob's stays: ${stays(bob)}; LCIC events: ${bobs.join(" ")}`,
    );
    for (const [ok, what] of checks) assert.ok(ok, `${what} within ±${TOLERANCE_S} s`);

    // QoS: every participant's uplink (measured by Janus) and the downlinks of their streams.
    const losses: number[] = [];
    for (const u of users) {
      const data = await series(roomId, u);
      const kinds = new Set(data.map((s) => `${s.peerid === "0" ? "up" : "down"}/${s.mid}`));
      for (const k of ["up/abit", "up/vbit", "up/aloss", "up/ajitter", "down/abit", "down/vbit", "down/vjitter"]) {
        assert.ok(kinds.has(k), `${u}: series ${k} (${[...kinds].join(" ")})`);
      }
      const peers = new Set(data.filter((s) => s.peerid !== "0").map((s) => s.peerid));
      assert.deepEqual([...peers].sort(), users.filter((x) => x !== u).sort(), `${u}'s stream reached the two others`);
      assert.ok(Math.max(...points(data, "vbit", true)) > 50, `${u} sends video`);
      losses.push(...points(data, "aloss", true), ...points(data, "aloss", false));
    }
    // A clean loopback call: Janus sees no loss (a busy machine may drop a packet now and then).
    console.log(`janus e2e clean call: mean audio loss ${mean(losses).toFixed(2)} % over ${losses.length} points`);
    assert.ok(mean(losses) < 2, `clean call audio loss ${mean(losses)} %`);
  });

  test(`through a UDP relay dropping 10 % each way, for ${RELAY_S} s: the loss shows`, async () => {
    const { roomId, users } = await classroom(["Dora", "Eve"]);
    const relay = startUdpRelay({ loss: 0.1, delayMs: 20, bindHost: relayHost() });
    const ps = await Promise.all([participant(relay), participant(relay)]);
    try {
      const start = Date.now();
      await Promise.all(ps.map((p, i) => join(p, roomId, users[i]!, true)));
      await sleepUntil(start + RELAY_S * 1000);
      for (const p of ps) await leave(p);
      for (const p of ps) assert.deepEqual(await p.evaluate("window.pageErrors"), []);
    } finally {
      await Promise.all(ps.map((p) => p.close().catch(() => {})));
      await relay.close();
    }
    const st = relay.stats();
    assert.ok(st.passed > 1000, `media crossed the relay (${st.passed} passed, ${st.dropped} dropped)`);
    // Wait for the last stats to arrive (each participant's final report at hang-up).
    await new Promise((r) => setTimeout(r, 1500));
    const up: number[] = [];
    const down: number[] = [];
    const downVideo: number[] = [];
    for (const u of users) {
      const data = await series(roomId, u);
      up.push(...points(data, "aloss", true));
      down.push(...points(data, "aloss", false));
      downVideo.push(...points(data, "vloss", false));
    }
    const injected = (100 * st.dropped) / (st.passed + st.dropped);
    console.log(
      `janus e2e relay: injected ${injected.toFixed(1)} % (${st.dropped}/${st.passed + st.dropped} datagrams); loss measured: ` +
        `uplink audio ${mean(up).toFixed(1)} % (${up.length} points), downlink audio ${mean(down).toFixed(1)} % (${down.length} points), ` +
        `downlink video ${mean(downVideo).toFixed(1)} % (${downVideo.length} points)`,
    );
    // Uplink audio loss is Janus's own count, per second, of the Opus packets it never got
    // (audio has no retransmission): a binomial 10 % over ~50 packets a second, averaged over
    // ~10 points, has a standard deviation near 1.4 points. On 2 busy cores the relay's timers
    // and socket buffers lose datagrams of their own (the browser collector's relayed call
    // measured up to 14.7 % in CI), hence 6–20 %. Measured here: 8.6–11.2 % in four runs.
    assert.ok(up.length >= 4 && mean(up) >= 6 && mean(up) <= 20, `uplink audio loss ${mean(up)} % (${up.length} points)`);
    // Downlink loss is what the subscribers' RTCP receiver reports told Janus ("lost-by-remote"):
    // Chrome sends audio reports about every 5 s, Janus reads only a report's first block, and
    // the first report also counts what was sent before the subscriber was ready. Measured
    // over this short call it ranged 1.7–17.3 % for audio: no band holds, so the check is only
    // that the loss shows at all (the clean call's points are all 0).
    assert.ok(
      [...down, ...downVideo].some((v) => v > 0),
      "downlink loss shows",
    );
    assert.equal((await sdkError(lcic.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 }))).code, "FailedOperation.RoomNotEnd");
  });
});
