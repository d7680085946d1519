// The collector module outside the browser: its size budget, and the upload failure paths
// that the real-browser test (browser-collector.test.ts) does not provoke: retry with
// backoff after 503, Retry-After, a refused batch dropped, a token asked again after 401,
// stop() with the server down. Node has no RTCPeerConnection: a stand-in whose getStats()
// returns a growing outbound-rtp counter takes its place here (the real one runs in Chromium).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { ROOT } from "../support/server.ts";
import { createQosCollector } from "../../src/products/rtc/browser/qos-collector.js";

const SOURCE = join(ROOT, "src/products/rtc/browser/qos-collector.js");
const BUDGET = 10 * 1024;

test(`size: minified (esbuild) and gzipped, the collector stays within ${BUDGET} bytes`, () => {
  const min = transformSync(readFileSync(SOURCE, "utf8"), { minify: true, format: "esm" }).code;
  const size = gzipSync(min, { level: 9 }).length;
  console.log(`qos-collector.js: ${min.length} bytes minified, ${size} bytes minified+gzipped (budget ${BUDGET})`);
  assert.ok(size <= BUDGET, `${size} bytes`);
  assert.doesNotMatch(min, /\bimport\b/, "no dependencies");
});

function fakePc() {
  let n = 0;
  return {
    connectionState: "connected",
    async getStats() {
      n++;
      return new Map([
        ["o", { id: "o", type: "outbound-rtp", kind: "audio", timestamp: 1_800_000_000_000 + n * 1000, bytesSent: n * 4000 }],
      ]);
    },
  };
}

type Call = { status: number; auth: string; lines: number };

function fakeFetch(answers: Array<number | "network">, calls: Call[]) {
  return async (_url: string, init: RequestInit) => {
    const answer = answers.shift() ?? 200;
    calls.push({
      status: answer === "network" ? 0 : answer,
      auth: String((init.headers as Record<string, string>).authorization),
      lines: String(init.body).trim().split("\n").length,
    });
    if (answer === "network") throw new TypeError("fetch failed");
    return new Response(answer === 200 ? "{}" : '{"error":{}}', { status: answer, headers: answer === 429 ? { "retry-after": "1" } : {} });
  };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("503 and network errors are retried with backoff; nothing is lost; stop() sends the rest", async () => {
  const calls: Call[] = [];
  const errors: unknown[] = [];
  const c = createQosCollector({
    url: "http://x/",
    token: "t",
    roomId: "r",
    userId: "u",
    intervalMs: 50,
    fetch: fakeFetch([503, "network"], calls) as never,
    onError: (e: unknown) => errors.push(e),
  });
  c.add(fakePc() as never, { remoteUserId: "v" });
  await wait(400);
  // 503 at once, the network error after ~1 s of backoff is not yet due: two ticks queued meanwhile.
  assert.deepEqual(
    calls.map((x) => x.status),
    [503],
  );
  assert.ok(c.pending >= 3, `samples wait (${c.pending})`);
  await wait(1200);
  assert.deepEqual(calls.map((x) => x.status).slice(0, 2), [503, 0]);
  await c.stop();
  assert.equal(c.pending, 0);
  assert.equal(errors.length, 2);
  const sent = calls.filter((x) => x.status === 200).reduce((a, x) => a + x.lines, 0);
  const first = calls[0]!.lines;
  assert.ok(sent >= first, "the batch refused with 503 was sent again");
});

test("400/403 drop the batch (it cannot succeed); 401 asks the token function again", async () => {
  const calls: Call[] = [];
  let minted = 0;
  const c = createQosCollector({
    url: "http://x",
    token: () => `t${++minted}`,
    roomId: "r",
    userId: "u",
    intervalMs: 50,
    fetch: fakeFetch([403, 401], calls) as never,
  });
  c.add(fakePc() as never, { remoteUserId: "v" });
  await wait(200);
  assert.equal(calls[0]!.status, 403);
  assert.equal(calls[1]?.status, 401);
  await wait(1300);
  await c.stop();
  assert.equal(calls[0]!.auth, "Bearer t1");
  assert.equal(calls.at(-1)!.auth, "Bearer t2", "a new token after the 401");
  assert.equal(c.pending, 0);
});

test("stop() with the server unreachable resolves, never throws, and the timer is gone", async () => {
  const calls: Call[] = [];
  const c = createQosCollector({
    url: "http://x",
    token: "t",
    roomId: "r",
    userId: "u",
    intervalMs: 30,
    fetch: fakeFetch(Array(100).fill("network"), calls) as never,
  });
  c.add(fakePc() as never, { remoteUserId: "v" });
  await wait(100);
  const t0 = Date.now();
  await c.stop();
  assert.ok(Date.now() - t0 < 500, "stop does not wait out a backoff");
  const n = calls.length;
  await wait(150);
  assert.equal(calls.length, n, "no call after stop()");
});
