// POST /ingest/v1/events on each storage backend: authentication, JSON array and NDJSON,
// idempotency under retry, whole-batch rejection with nothing stored, acknowledgement only
// once the batch is readable, the 413/415 answers, and backpressure before bodies are read
// (bytes counted as read, a fair share per app; the rest in ingest-fairness.test.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { diagnostic, gaugeReaches, openUpload, postEvents, stored, type OpenUpload } from "../support/ingest.ts";

const BODY_LIMIT = 64 * 1024;

for (const backend of backends()) {
  describe(`ingest on ${backend}`, () => {
    let server: TestServer;
    let appId: string;
    let key: string;
    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_INGEST_BODY_LIMIT: String(BODY_LIMIT) } });
      appId = await server.createApp(["lcic"]);
      key = await server.ingestKey(appId);
    });
    after(() => server.stop());

    test("401 without a key, with a malformed header, with an unknown key; nothing stored", async () => {
      const batch = JSON.stringify([diagnostic("auth-1", 1)]);
      for (const k of [null, "rlik_unknown"]) {
        const r = await postEvents(server, k, batch);
        assert.equal(r.status, 401);
        assert.equal(r.body.error.code, "Unauthorized");
        assert.ok(r.body.requestId);
      }
      const res = await fetch(`${server.url}/ingest/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Basic ${key}` },
        body: batch,
      });
      assert.equal(res.status, 401);
      assert.equal((await stored(server, appId)).EventIds.includes("auth-1"), false);
    });

    test("a JSON array is stored and acknowledged with counts; a retry stores nothing twice", async () => {
      const batch = JSON.stringify([
        diagnostic("a-1", 1),
        diagnostic("a-2", 2, { ctime: "2026-11-22T10:00:00.123Z" }),
        diagnostic("a-3", 3),
      ]);
      const first = await postEvents(server, key, batch);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual({ ...first.body, requestId: undefined }, { received: 3, accepted: 3, duplicates: 0, requestId: undefined });
      for (let i = 0; i < 3; i++) {
        const retry = await postEvents(server, key, batch);
        assert.equal(retry.status, 200);
        assert.equal(retry.body.accepted, 0);
        assert.equal(retry.body.duplicates, 3);
      }
      // A batch mixing old and new events, and an id repeated inside one batch.
      const mixed = await postEvents(server, key, JSON.stringify([diagnostic("a-3", 3), diagnostic("a-4", 4), diagnostic("a-4", 4)]));
      assert.deepEqual([mixed.body.received, mixed.body.accepted, mixed.body.duplicates], [3, 1, 2]);
      const s = await stored(server, appId);
      assert.deepEqual(
        s.EventIds.filter((id) => id.startsWith("a-")),
        ["a-1", "a-2", "a-3", "a-4"],
      );
    });

    test("NDJSON (application/x-ndjson), blank lines ignored", async () => {
      const lines = `${[diagnostic("n-1", 1), diagnostic("n-2", 2)].map((e) => JSON.stringify(e)).join("\n\n")}\n`;
      const r = await postEvents(server, key, lines, "application/x-ndjson");
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.accepted, 2);
      const again = await postEvents(server, key, lines, "application/x-ndjson");
      assert.equal(again.body.duplicates, 2);
      // application/jsonl is NDJSON too (not a JSON array, although it starts like one).
      const jsonl = await postEvents(server, key, `${JSON.stringify(diagnostic("n-3", 3))}\n`, "application/jsonl");
      assert.equal(jsonl.status, 200, JSON.stringify(jsonl.body));
      assert.equal(jsonl.body.accepted, 1);
    });

    test("a batch with bad events is rejected whole, naming each bad event's index and reason", async () => {
      const before = await stored(server, appId);
      const batch = [
        diagnostic("b-0", 0),
        diagnostic("b-1", 1, { data: { seq: -1 } }),
        diagnostic("b-2", 2),
        { id: "b-3", type: "nope.unknown", ctime: 1, data: {} },
        diagnostic("b-4", 4, { ctime: "yesterday" }),
        "not an object",
        diagnostic("b-6", 6, { extra: true }),
        { type: "roomledger.diagnostic", ctime: 1, data: { seq: 1 } },
      ];
      const r = await postEvents(server, key, JSON.stringify(batch));
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, "InvalidBatch");
      assert.deepEqual(
        r.body.error.events.map((e: { index: number }) => e.index),
        [1, 3, 4, 5, 6, 7],
      );
      for (const e of r.body.error.events) assert.equal(typeof e.reason, "string");
      assert.match(r.body.error.events[1].reason, /unknown event type 'nope.unknown'/);
      assert.match(r.body.error.events[2].reason, /ctime/);
      const after = await stored(server, appId);
      assert.equal(after.TotalCount, before.TotalCount);
      assert.equal(after.AppliedCount, before.AppliedCount);
      assert.ok(!after.EventIds.includes("b-0") && !after.EventIds.includes("b-2"));
    });

    test("NDJSON with a line that is not JSON: 400 naming the line, nothing stored", async () => {
      const body = `${JSON.stringify(diagnostic("c-0", 0))}\n{not json\n${JSON.stringify(diagnostic("c-2", 2))}\n`;
      const r = await postEvents(server, key, body, "application/x-ndjson");
      assert.equal(r.status, 400);
      assert.deepEqual(
        r.body.error.events.map((e: { index: number }) => e.index),
        [1],
      );
      assert.ok(!(await stored(server, appId)).EventIds.includes("c-0"));
      const notArray = await postEvents(server, key, JSON.stringify({ id: "x" }));
      assert.equal(notArray.status, 400);
      const broken = await postEvents(server, key, "[{");
      assert.equal(broken.status, 400);
    });

    test("acknowledged means stored: every acked batch of concurrent posts is readable right after its ack", async () => {
      const batches = Array.from({ length: 8 }, (_, b) => Array.from({ length: 25 }, (_, i) => diagnostic(`d-${b}-${i}`, i)));
      await Promise.all(
        batches.map(async (batch) => {
          const r = await postEvents(server, key, JSON.stringify(batch));
          assert.equal(r.status, 200);
          assert.equal(r.body.accepted, 25);
          const s = await stored(server, appId);
          for (const e of batch) assert.ok(s.EventIds.includes(e.id), e.id);
        }),
      );
      const s = await stored(server, appId);
      // The event log and the applied counter agree: apply ran exactly once per stored event.
      assert.equal(s.AppliedCount, s.TotalCount);
    });

    test("413 over the body limit, 415 for other content types, nothing stored", async () => {
      const big = JSON.stringify(
        Array.from({ length: 2000 }, (_, i) => diagnostic(`big-${i}`, i, { data: { seq: i, note: "n".repeat(40) } })),
      );
      assert.ok(big.length > BODY_LIMIT);
      const r = await postEvents(server, key, big);
      assert.equal(r.status, 413);
      assert.equal(r.body.error.code, "PayloadTooLarge");
      assert.match(r.body.error.message, new RegExp(`exceeds the limit of ${BODY_LIMIT} bytes`));
      // Far over the limit: still a 413 answer, not a connection reset mid-upload.
      const huge = `[${" ".repeat(64 * BODY_LIMIT)}]`;
      for (let i = 0; i < 3; i++) assert.equal((await postEvents(server, key, huge)).status, 413);
      for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
        const t = await postEvents(server, key, JSON.stringify([diagnostic("t-1", 1)]), type);
        assert.equal(t.status, 415, type);
        assert.equal(t.body.error.code, "UnsupportedMediaType");
      }
      const s = await stored(server, appId);
      assert.ok(!s.EventIds.some((id) => id.startsWith("big-") || id === "t-1"));
    });

    test("another app's events are its own", async () => {
      const other = await server.createApp(["tiw"]);
      const otherKey = await server.ingestKey(other);
      const r = await postEvents(server, otherKey, JSON.stringify([diagnostic("a-1", 1)]));
      assert.equal(r.body.accepted, 1); // same client id, other app: not a duplicate
      assert.deepEqual((await stored(server, other)).EventIds, ["a-1"]);
    });

    test("backpressure: bytes counted as read, not as the limit; 429 past an app's half of the budget, 503 past the budget (8 × the limit)", async () => {
      // Open uploads: chunked (no declared length), each a whole JSON array left unended.
      const open: OpenUpload[] = [];
      const other = await server.ingestKey(await server.createApp(["lcic"]));
      const third = await server.ingestKey(await server.createApp(["lcic"]));
      const headersOf = (k: string) => ({ "content-type": "application/json", authorization: `Bearer ${k}` });
      const body = (id: string, size: number) => {
        const event = JSON.stringify(diagnostic(id, 1));
        return `[${event}${" ".repeat(Math.max(0, size - event.length - 2))}]`;
      };
      const openOne = (k: string, id: string, size: number) =>
        open.push(openUpload(`${server.url}/ingest/v1/events`, headersOf(k), body(id, size)));
      const inFlight = (n: number) => gaugeReaches(server, "roomledger_ingest_requests_in_flight", n);
      const held = (n: number) => gaugeReaches(server, 'roomledger_native_body_bytes_held{route="/ingest/v1/events"}', n);
      const send = (k: string, id: string, size: number) =>
        fetch(`${server.url}/ingest/v1/events`, { method: "POST", headers: headersOf(k), body: body(id, size) });
      const SMALL = 100;
      const BIG = 60_000; // 4 of them: 240,000 of the app's 262,144
      try {
        // Eight chunked uploads hold what they sent, not 8 × 64 KB (the whole budget, before).
        for (let i = 0; i < 8; i++) openOne(key, `bp-${i}`, SMALL);
        await inFlight(8);
        await held(8 * SMALL);
        assert.equal((await send(key, "bp-fits", SMALL)).status, 200);
        for (let i = 0; i < 4; i++) openOne(key, `bp-big-${i}`, BIG);
        await held(8 * SMALL + 4 * BIG);
        const past = await send(key, "bp-past", 30_000);
        assert.equal(past.status, 429);
        assert.equal(past.headers.get("retry-after"), "1");
        assert.equal(((await past.json()) as { error: { code: string } }).error.code, "TooManyRequests");
        // Another app has its own half; with both halves read, a third app finds the route full.
        for (let i = 0; i < 4; i++) openOne(other, `bp-o-${i}`, BIG);
        await held(8 * SMALL + 8 * BIG);
        const refused = await send(third, "bp-refused", 50_000);
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get("retry-after"), "1");
        assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "Overloaded");
      } finally {
        for (const o of open) o.close();
      }
      assert.deepEqual(
        (await Promise.all(open.map((o) => o.done))).map((r) => r.status),
        Array(16).fill(200),
      );
      await inFlight(0);
      await held(0);
      assert.equal((await send(key, "bp-after", SMALL)).status, 200);
      const ids = (await stored(server, appId)).EventIds.filter((id) => id.startsWith("bp-"));
      assert.equal(ids.length, 8 + 1 + 4 + 1, JSON.stringify(ids));
    });
  });
}
