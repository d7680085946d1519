// Issue 16, item 2, from the outside on each backend: on every ingest route (events, QoS
// uploads, TRRO device reports) a request is authenticated before it holds anything, one app
// gets at most half of a route's slots and bytes, a body that stops arriving is answered 408
// and frees its slot, and every listener (public and admin) bounds headers, bodies and whole
// requests. Uploads are held open by a client that keeps sending a byte of whitespace (a
// slow client, not an idle one: the body-idle bound must not be what frees them here).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { startServer, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";
import { describeBackendsSideBySide } from "../support/postgres.ts";
import { diagnostic, gaugeReaches } from "../support/ingest.ts";
import { fleet, trroClient } from "../trro/trro-support.ts";

const LIMIT = 64 * 1024;
const IDLE_MS = 5000; // many times the trickle: a loaded machine (load 40 on 2 cores seen) delays timers by seconds
const HEADERS_MS = 1000;
const REQUEST_MS = 8000;
const TRICKLE_MS = 300;

interface Held {
  /** Sends the rest of the body and ends it; resolves to the answer (or the network error). */
  finish(rest: string): Promise<Response | Error>;
  done: Promise<Response | Error>;
}

/** A chunked POST that sends `first`, then (with trickle) a filler byte every TRICKLE_MS until finish(). */
function hold(url: string, headers: Record<string, string>, first: string, filler: string | null): Held {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const enc = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  ctrl.enqueue(enc.encode(first));
  const ticker = filler === null ? null : setInterval(() => ctrl.enqueue(enc.encode(filler)), TRICKLE_MS);
  const done = fetch(url, { method: "POST", headers, body, duplex: "half" } as RequestInit).catch((e: Error) => e);
  const stop = () => ticker && clearInterval(ticker);
  void done.then(stop);
  return {
    done,
    finish(rest) {
      stop();
      try {
        ctrl.enqueue(enc.encode(rest));
        ctrl.close();
      } catch {
        // already answered and closed by the server
      }
      return done;
    },
  };
}

const statusOf = (r: Response | Error) => (r instanceof Response ? r.status : r.message);

/** Raw HTTP over a socket: what was answered, and after how long the server closed it. */
function raw(port: number, chunks: { at: number; text: string }[]): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const timers = chunks.map((c) => setTimeout(() => socket.writable && socket.write(c.text), c.at));
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => {
      for (const t of timers) clearTimeout(t);
      resolve({ text, ms: Date.now() - started });
    });
    setTimeout(() => reject(new Error(`the server kept the socket open: ${text}`)), REQUEST_MS + 10_000).unref();
  });
}

const bodyOf = (text: string): any => JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));

interface Route {
  name: string;
  url: string;
  gauge: string;
  /** One app's share of the route's slots (half of them). */
  share: number;
  contentType: string;
  auth(tenant: "a" | "b"): Record<string, string>;
  first: string;
  filler: string;
  rest(id: string): string;
}

describeBackendsSideBySide("ingest fairness and listener timeouts", (backend) => {
  let server: TestServer;
  let routes: Route[];
  before(async () => {
    server = await startServer({
      backend,
      env: {
        ROOMLEDGER_INGEST_BODY_LIMIT: String(LIMIT),
        ROOMLEDGER_BODY_IDLE_TIMEOUT_MS: String(IDLE_MS),
        ROOMLEDGER_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        ROOMLEDGER_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      },
    });
    const now = (await server.admin<{ now: number }>("GET", "/clock")).now;
    const keys = { events: {} as Record<string, string>, qos: {} as Record<string, string> };
    for (const t of ["a", "b"]) {
      keys.events[t] = await server.ingestKey(await server.createApp(["lcic"]));
      keys.qos[t] = await server.ingestKey(await server.createApp(["rtc"]));
    }
    const trro = trroClient(server);
    const projects = {
      a: (await fleet(server, trro, [{ id: "d1", type: "field" }], "a")).dev.d1!,
      b: (await fleet(server, trro, [{ id: "d1", type: "field" }], "b")).dev.d1!,
    };
    const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
    routes = [
      {
        name: "events",
        url: "/ingest/v1/events",
        gauge: "roomledger_ingest_requests_in_flight",
        share: 32,
        contentType: "application/json",
        auth: (t) => bearer(keys.events[t]!),
        first: "[",
        filler: " ",
        rest: (id) => `${JSON.stringify(diagnostic(id, 1))}]`,
      },
      {
        name: "QoS",
        url: "/ingest/v1/rtc/qos",
        gauge: "roomledger_rtc_qos_requests_in_flight",
        share: 4,
        contentType: "application/x-ndjson",
        auth: (t) => bearer(keys.qos[t]!),
        first: "\n",
        filler: "\n",
        rest: (id) => `${JSON.stringify({ ctime: now, room_id: id, uid: "u", metrics: { appcpu: 1 } })}\n`,
      },
      {
        name: "TRRO reports",
        url: "/ingest/v1/trro/reports",
        gauge: "roomledger_trro_report_requests_in_flight",
        share: 32,
        contentType: "application/json",
        auth: (t) => {
          const d = projects[t];
          return { "x-trro-project-id": d.projectId, "x-trro-device-id": d.deviceId, authorization: `Bearer ${d.token}` };
        },
        first: "[",
        filler: " ",
        rest: (id) => `${JSON.stringify({ id, type: "trro.device.heartbeat", ctime: now, data: {} })}]`,
      },
    ];
  });
  after(() => server.stop());

  const open = (r: Route, auth: Record<string, string>, trickle = true) =>
    hold(`${server.url}${r.url}`, { "content-type": r.contentType, ...auth }, r.first, trickle ? r.filler : null);
  const post = (r: Route, tenant: "a" | "b", id: string) =>
    fetch(`${server.url}${r.url}`, {
      method: "POST",
      headers: { "content-type": r.contentType, ...r.auth(tenant) },
      body: r.first + r.rest(id),
    });

  test("eight open uploads without credentials hold no slot: an authenticated tenant is served, on every ingest route", async () => {
    for (const r of routes) {
      const anonymous = Array.from({ length: 8 }, () => open(r, {}));
      try {
        const answers = await Promise.all(anonymous.map((h) => h.done));
        // Refused at once, before the body: and the connection is not kept for it.
        assert.deepEqual(answers.map(statusOf), Array(8).fill(401), r.name);
        const served = await post(r, "b", `anon-${r.name}`);
        assert.equal(served.status, 200, `${r.name}: ${await served.text()}`);
        await gaugeReaches(server, r.gauge, 0);
      } finally {
        await Promise.all(anonymous.map((h) => h.finish("")));
      }
    }
  });

  test("one tenant holding eight uploads leaves another tenant its whole share, on every ingest route", async () => {
    for (const r of routes) {
      const mine = Math.min(8, r.share);
      const a = Array.from({ length: 8 }, () => open(r, r.auth("a")));
      const b: Held[] = [];
      try {
        await gaugeReaches(server, r.gauge, mine);
        for (let i = 0; i < mine; i++) b.push(open(r, r.auth("b")));
        await gaugeReaches(server, r.gauge, 2 * mine);
        const bAnswers = await Promise.all(b.map((h, i) => h.finish(r.rest(`fair-b-${r.name}-${i}`))));
        assert.deepEqual(bAnswers.map(statusOf), Array(mine).fill(200), r.name);
      } finally {
        const aAnswers = await Promise.all(a.map((h, i) => h.finish(r.rest(`fair-a-${r.name}-${i}`))));
        // Past its share the tenant was told to come back (429), before sending its body.
        assert.deepEqual(aAnswers.map(statusOf).sort(), [...Array(mine).fill(200), ...Array(8 - mine).fill(429)], r.name);
        await Promise.all(b.map((h) => h.finish("")));
      }
      await gaugeReaches(server, r.gauge, 0);
    }
  });

  test("a body that stops arriving is answered 408 in its protocol's envelope and frees its slot, on every route", async () => {
    const started = Date.now();
    const idle = routes.map((r) => open(r, r.auth("a"), false));
    for (const r of routes) await gaugeReaches(server, r.gauge, 1);
    for (const [i, h] of idle.entries()) {
      const res = await h.done;
      assert.ok(res instanceof Response, `${routes[i]!.name}: ${String(res)}`);
      assert.equal(res.status, 408, routes[i]!.name);
      assert.equal(res.headers.get("connection"), "close");
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "RequestTimeout");
    }
    // Its own bound, not the whole-request one (which would answer 408 too, later).
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= IDLE_MS && elapsed < REQUEST_MS, `answered after ${elapsed} ms`);
    for (const r of routes) await gaugeReaches(server, r.gauge, 0);
    // The Tencent gateway reads its body with the same bound: its own envelope (HTTP 200).
    const tencentStarted = Date.now();
    const tencent = await hold(server.url, { "content-type": "application/json", "x-tc-action": "DescribeRoom" }, "{", null).done;
    assert.ok(Date.now() - tencentStarted < REQUEST_MS, "the body-idle bound, not the whole-request one");
    assert.ok(tencent instanceof Response);
    assert.equal(tencent.status, 200);
    const answer = (await tencent.json()) as { Response: { Error: { Code: string } } };
    assert.equal(answer.Response.Error.Code, "InvalidParameter");
  });

  test("TRRO reports are gated: a project's share (429), the route's slots (503); an oversized report is drained to a 413", async () => {
    const r = routes[2]!;
    const held: Held[] = [];
    try {
      for (let i = 0; i < 32; i++) held.push(open(r, r.auth("a")));
      await gaugeReaches(server, r.gauge, 32);
      const past = await post(r, "a", "past-share");
      assert.equal(past.status, 429);
      assert.equal(past.headers.get("retry-after"), "1");
      assert.equal(((await past.json()) as { error: { code: string } }).error.code, "TooManyRequests");
      for (let i = 0; i < 32; i++) held.push(open(r, r.auth("b")));
      await gaugeReaches(server, r.gauge, 64);
      const full = await post(r, "b", "full");
      assert.equal(full.status, 503);
      assert.equal(full.headers.get("retry-after"), "1");
      assert.equal(((await full.json()) as { error: { code: string } }).error.code, "Overloaded");
    } finally {
      const answers = (await Promise.all(held.map((h, i) => h.finish(r.rest(`gate-${i}`))))).map(statusOf);
      assert.deepEqual(answers, Array(64).fill(200), JSON.stringify(answers));
    }
    await gaugeReaches(server, r.gauge, 0);
    const big = await post(r, "a", "x".repeat(LIMIT));
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as { error: { code: string } }).error.code, "PayloadTooLarge");
  });

  test("timeouts on the admin listener (headers, body idle, whole request) and the public one, in their envelopes", async () => {
    const adminPort = Number(new URL(server.adminUrl).port);
    const head = (length: number) =>
      `POST /admin/v1/apps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n{`;
    const trickle = Array.from({ length: Math.ceil((REQUEST_MS + 2000) / 400) }, (_, i) => ({ at: 400 * (i + 1), text: " " }));
    // The public listener's whole-request bound on the Tencent path: its headers complete, its
    // body trickles; the envelope's path comes from the request itself (framework-errors.ts).
    const tencentHead = "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{";
    const [headers, idle, whole, publicHeaders, publicWhole] = await Promise.all([
      raw(adminPort, [{ at: 0, text: "GET /admin/v1/accounts HTTP/1.1\r\nHost: x\r\n" }]),
      raw(adminPort, [{ at: 0, text: head(100) }]),
      raw(adminPort, [{ at: 0, text: head(1000) }, ...trickle]),
      raw(server.port, [{ at: 0, text: "POST / HTTP/1.1\r\nHost: x\r\n" }]),
      raw(server.port, [{ at: 0, text: tencentHead }, ...trickle]),
    ]);
    assert.match(headers.text, /^HTTP\/1\.1 408 /);
    assert.equal(bodyOf(headers.text).error.code, "RequestTimeout");
    assert.ok(headers.ms >= HEADERS_MS && headers.ms < HEADERS_MS + 3000, `headers: ${headers.ms} ms`);
    assert.match(idle.text, /^HTTP\/1\.1 408 /);
    assert.equal(bodyOf(idle.text).error.code, "RequestTimeout");
    assert.ok(idle.ms >= IDLE_MS && idle.ms < IDLE_MS + 3000, `body idle: ${idle.ms} ms`);
    assert.match(whole.text, /^HTTP\/1\.1 408 /);
    assert.equal(bodyOf(whole.text).error.code, "RequestTimeout");
    assert.ok(whole.ms >= REQUEST_MS && whole.ms < REQUEST_MS + 3000, `whole request: ${whole.ms} ms`);
    // The Tencent path's envelope: HTTP 200 and Response.Error.
    assert.match(publicHeaders.text, /^HTTP\/1\.1 200 /);
    assert.equal(bodyOf(publicHeaders.text).Response.Error.Code, "InvalidParameter");
    assert.match(publicWhole.text, /^HTTP\/1\.1 200 /);
    assert.equal(bodyOf(publicWhole.text).Response.Error.Message, "The request did not arrive in time.");
    assert.ok(publicWhole.ms >= REQUEST_MS && publicWhole.ms < REQUEST_MS + 3000, `whole request at /: ${publicWhole.ms} ms`);
  });
});
