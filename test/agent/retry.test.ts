// AgentClient's retry rule (src/agent/retry.ts): sent again on network errors, 502/503/504
// and 429 (after Retry-After); a 4xx refusal or a 500 is thrown at once. roomledger never
// answers 502/504 or 429 on /agent/v1 by itself (a proxy in front of it does), so a scripted
// loopback HTTP server plays that part here; the restart against the real server is
// restart.test.ts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import fc from "fast-check";
import { AgentClient, AgentProtocolError } from "../../src/agent/client.ts";
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from "../../src/agent/retry.ts";

type Answer = { status: number; headers?: Record<string, string>; body?: unknown };

/** A server answering the scripted answers in turn (the last one for ever); counts requests. */
async function scripted(answers: Answer[], port = 0): Promise<{ server: Server; url: string; count: () => number; times: number[] }> {
  let n = 0;
  const times: number[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      times.push(Date.now());
      const a = answers[Math.min(n++, answers.length - 1)]!;
      res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  const { port: p } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${p}`, count: () => n, times };
}

const close = (s: Server) => new Promise((r) => s.close(r));
const fast = { baseMs: 10, maxMs: 50, giveUpAfterMs: 5000, attemptTimeoutMs: 2000 };
const client = (url: string, retry = fast) => new AgentClient({ baseUrl: url, credential: "k", workerId: "w", retry });
const OK = { status: 200, body: { stop: false, leaseMs: 1000 } };

test("502, 503 and 504 are sent again until an answer comes", async () => {
  const s = await scripted([{ status: 502 }, { status: 503 }, { status: 504 }, OK]);
  try {
    assert.deepEqual(await client(s.url).heartbeat("t"), OK.body);
    assert.equal(s.count(), 4);
  } finally {
    await close(s.server);
  }
});

test("429 waits for its Retry-After (seconds) before the next attempt", async () => {
  const s = await scripted([{ status: 429, headers: { "retry-after": "1" } }, OK]);
  try {
    await client(s.url).heartbeat("t");
    assert.equal(s.count(), 2);
    assert.ok(s.times[1]! - s.times[0]! >= 950, `waited ${s.times[1]! - s.times[0]!} ms`);
  } finally {
    await close(s.server);
  }
});

test("refusals are thrown at once: 400, 401, 404, 409 and 500 are each asked once", async () => {
  for (const status of [400, 401, 404, 409, 500]) {
    const s = await scripted([{ status, body: { error: { code: `C${status}`, message: "no" } } }, OK]);
    try {
      const err = await client(s.url)
        .heartbeat("t")
        .catch((e) => e);
      assert.ok(err instanceof AgentProtocolError, String(err));
      assert.equal(err.status, status);
      assert.equal(err.code, `C${status}`);
      assert.equal(s.count(), 1, `status ${status} was asked again`);
    } finally {
      await close(s.server);
    }
  }
});

test("connection refused: asked again until the server is back on its port", async () => {
  const probe = await scripted([OK]);
  const port = Number(new URL(probe.url).port);
  await close(probe.server);
  const retries: string[] = [];
  const c = new AgentClient({ baseUrl: probe.url, credential: "k", workerId: "w", retry: fast, onRetry: (why) => retries.push(why) });
  const pending = c.heartbeat("t");
  await new Promise((r) => setTimeout(r, 300));
  const s = await scripted([OK], port);
  try {
    assert.deepEqual(await pending, OK.body);
    assert.ok(retries.length >= 2 && retries.every((w) => w === "ECONNREFUSED"), retries.join(","));
  } finally {
    await close(s.server);
  }
});

test("gives up after giveUpAfterMs with the last error, and stops at once when its signal aborts", async () => {
  const s = await scripted([{ status: 503 }]);
  try {
    const t0 = Date.now();
    const err = await client(s.url, { ...fast, giveUpAfterMs: 300 })
      .heartbeat("t")
      .catch((e) => e);
    assert.equal(err.status, 503);
    assert.ok(Date.now() - t0 < 2000);
    const abort = new AbortController();
    const c = new AgentClient({
      baseUrl: s.url,
      credential: "k",
      workerId: "w",
      retry: { ...fast, baseMs: 1000, maxMs: 1000 },
      signal: abort.signal,
    });
    const pending = c.heartbeat("t").catch((e) => e);
    setTimeout(() => abort.abort(new Error("shutting down")), 100);
    const t1 = Date.now();
    assert.equal(((await pending) as Error).message, "shutting down");
    assert.ok(Date.now() - t1 < 900);
  } finally {
    await close(s.server);
  }
});

test("backoff stays within its cap; Retry-After reads seconds and dates", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, r) => {
      const ms = backoffMs(DEFAULT_RETRY, n, () => r);
      const cap = Math.min(DEFAULT_RETRY.maxMs, DEFAULT_RETRY.baseMs * 2 ** (n - 1));
      return Number.isInteger(ms) && ms >= 0 && ms < cap;
    }),
  );
  assert.equal(retryAfterMs("3"), 3000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs(null), null);
  assert.equal(retryAfterMs("soon"), null);
});
