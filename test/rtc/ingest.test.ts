// QoS ingest black box: the NDJSON stream endpoint (auth, validation naming every bad line,
// all-or-nothing, limits, backpressure) and the `rtc.qos` event type of the generic ingest
// API, with a property test that malformed input never gets a 500 nor a half-written batch.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { backends } from "../support/postgres.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { hcClient, qosDetails } from "../support/huawei.ts";
import { gaugeReaches, openUpload, type OpenUpload } from "../support/ingest.ts";

const H = 3600_000;
const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;

function post(server: TestServer, key: string, body: string, contentType = "application/x-ndjson") {
  return fetch(`${server.url}/ingest/v1/rtc/qos`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
    body,
  });
}

const line = (o: Record<string, unknown>) => JSON.stringify(o);

for (const backend of backends()) {
  describe(`QoS ingest (${backend})`, () => {
    let server: TestServer;
    let appId: string;
    let key: string;
    let now: number;

    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_INGEST_BODY_LIMIT: String(256 * 1024) } });
      appId = await server.createApp(["rtc"]);
      key = await server.ingestKey(appId);
      now = (await server.admin<{ now: number }>("GET", "/clock")).now;
    });
    after(() => server.stop());

    /** A user's series in a room, as "uid/peerid/mid:points", and the distinct times seen. */
    async function stored(room: string, user = "u"): Promise<{ series: string[]; times: Set<string> }> {
      const res = await qosDetails(hcClient(server), {
        app_id: appId,
        room_id: room,
        user_id: user,
        mid: "all",
        start_time: iso(now - 2 * H),
        end_time: iso(now + H),
        limit: 1000,
      });
      const data = res.data ?? [];
      return {
        series: data.map((s) => `${s.uid}/${s.peerid}/${s.mid}:${s.data.length}`),
        times: new Set(data.flatMap((s) => s.data.map((p) => p.time))),
      };
    }
    const nothing = { series: [], times: new Set() };

    test("authentication: no key, unknown key, a key of an app without rtc", async () => {
      const none = await fetch(`${server.url}/ingest/v1/rtc/qos`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: "",
      });
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, "Unauthorized");
      assert.equal((await post(server, "rlik_nope", "")).status, 401);
      const lcicKey = await server.ingestKey(await server.createApp(["lcic"]));
      const forbidden = await post(server, lcicKey, line({ ctime: now, room_id: "r", uid: "u", metrics: { appcpu: 1 } }));
      assert.equal(forbidden.status, 403);
    });

    test("a valid stream is stored; defaults: peer_id 0 (uplink), stream_id empty", async () => {
      const body = `${[
        line({ ctime: now - 10_000, room_id: "ok", uid: "u", metrics: { appcpu: 1.5, syscpu: 20 } }),
        "",
        line({ ctime: new Date(now - 8_000).toISOString(), room_id: "ok", uid: "u", peer_id: "v", metrics: { vbit: 700 } }),
        line({ ctime: now - 6_000, room_id: "ok", uid: "u", peer_id: "v", direction: "downlink", stream_id: "s2", metrics: { vbit: 710 } }),
      ].join("\n")}\n`;
      const r = await post(server, key, body);
      const ack = (await r.json()) as Record<string, unknown>;
      assert.equal(r.status, 200, JSON.stringify(ack));
      assert.deepEqual(
        { ...ack, requestId: undefined },
        { received: 3, accepted: 3, duplicates: 0, expired: 0, points: 4, requestId: undefined },
      );
      assert.deepEqual((await stored("ok")).series, ["u/0/appcpu:1", "u/0/syscpu:1", "u/v/vbit:1", "u/v/vbit:1"]);
      const down = await qosDetails(hcClient(server), {
        app_id: appId,
        room_id: "ok",
        user_id: "u",
        mid: "vbit",
        direction: "downlink",
        start_time: iso(now - H),
        end_time: iso(now),
      });
      // Two downlink streams towards v: two entries (the wire has no stream field).
      assert.deepEqual(
        down.data!.map((s) => s.data.map((p) => p.value)),
        [[700], [710]],
      );
      const streamOnly = await qosDetails(hcClient(server), {
        app_id: appId,
        room_id: "ok",
        user_id: "u",
        mid: "vbit",
        stream_id: "s2",
        start_time: iso(now - H),
        end_time: iso(now),
      });
      assert.deepEqual(
        streamOnly.data!.map((s) => s.data[0]!.value),
        [710],
      );
    });

    test("invalid lines: 400 naming each (index, reason), nothing of the request stored", async () => {
      const body = [
        line({ ctime: now, room_id: "bad", uid: "u", metrics: { appcpu: 1 } }),
        "{not json",
        line({ ctime: now, room_id: "bad", uid: "u", metrics: { adelay: 1 } }),
        line({ ctime: now, room_id: "bad", uid: "u", metrics: {} }),
        line({ ctime: now, room_id: "bad", uid: "u", metrics: { vbit: -1 } }),
        line({ ctime: now, room_id: "bad", uid: "u", peer_id: "0", direction: "downlink", metrics: { vbit: 1 } }),
        line({ ctime: now + 25 * H, room_id: "bad", uid: "u", metrics: { vbit: 1 } }),
        line({ ctime: "yesterday", room_id: "bad", uid: "u", metrics: { vbit: 1 } }),
        line({ room_id: "bad", uid: "u", metrics: { vbit: 1 } }),
        line({ ctime: now, room_id: "", uid: "u", metrics: { vbit: 1 } }),
        line({ ctime: now, room_id: "bad", uid: "u", metrics: { vbit: 1 }, extra: true }),
        "[]",
        line({ ctime: now, room_id: "bad", uid: "u\u0000", metrics: { vbit: 1 } }),
      ].join("\n");
      const r = await post(server, key, body);
      assert.equal(r.status, 400);
      const err = (await r.json()) as { error: { code: string; events: { index: number; reason: string }[] } };
      assert.equal(err.error.code, "InvalidBatch");
      assert.deepEqual(
        err.error.events.map((e) => e.index),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      );
      assert.match(err.error.events[4]!.reason, /direction and peer_id disagree/);
      assert.match(err.error.events[5]!.reason, /24 hours ahead/);
      assert.deepEqual(await stored("bad"), nothing);
    });

    test("a body over the limit is refused (413) and nothing is stored", async () => {
      const lines: string[] = [];
      for (let i = 0; lines.join("\n").length < 300 * 1024; i++)
        lines.push(line({ ctime: now - i * 1000, room_id: "big", uid: "u", metrics: { appcpu: 1, vbit: 2, vfps: 3 } }));
      const r = await post(server, key, lines.join("\n"));
      assert.equal(r.status, 413);
      assert.deepEqual(await stored("big"), nothing);
    });

    test("a JSON body is 415: the stream endpoint takes NDJSON", async () => {
      const r = await post(server, key, "[]", "application/json");
      assert.equal(r.status, 415);
    });

    test("rtc.qos through the generic ingest API, deduplicated by the sample, not the event id", async () => {
      const events = [
        { id: "e1", type: "rtc.qos", ctime: now - 4000, data: { room_id: "gen", uid: "u", metrics: { abit: 30 } } },
        { id: "e2", type: "rtc.qos", ctime: now - 2000, data: { room_id: "gen", uid: "u", metrics: { abit: 31 } } },
      ];
      const send = (evs: unknown[]) =>
        fetch(`${server.url}/ingest/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify(evs),
        });
      const first = (await (await send(events)).json()) as Record<string, number>;
      assert.deepEqual([first.received, first.accepted, first.duplicates], [2, 2, 0]);
      // The same sample under another event id is the same sample.
      const again = (await (await send([{ ...events[0], id: "e3" }])).json()) as Record<string, number>;
      assert.deepEqual([again.accepted, again.duplicates], [0, 1]);
      assert.deepEqual((await stored("gen")).series, ["u/0/abit:2"]);
      const bad = await send([
        {
          id: "e4",
          type: "rtc.qos",
          ctime: now,
          data: { room_id: "gen", uid: "u", peer_id: "0", direction: "downlink", metrics: { abit: 1 } },
        },
      ]);
      assert.equal(bad.status, 400);
    });

    test("backpressure: 429 beyond 4 requests of one app in flight (half), 503 beyond 8 in all, with Retry-After", async () => {
      const otherKey = await server.ingestKey(await server.createApp(["rtc"]));
      const open: OpenUpload[] = [];
      const openRequest = (k: string, room: string) =>
        open.push(
          openUpload(
            `${server.url}/ingest/v1/rtc/qos`,
            { authorization: `Bearer ${k}`, "content-type": "application/x-ndjson" },
            `${line({ ctime: now, room_id: room, uid: "u", metrics: { appcpu: 1 } })}\n`,
          ),
        );
      // An open request answered early would be a failure of its own.
      const inFlight = (n: number) => gaugeReaches(server, "roomledger_rtc_qos_requests_in_flight", n);
      const send = (k: string) => post(server, k, line({ ctime: now - 1000, room_id: "probe", uid: "u", metrics: { appcpu: 1 } }));
      try {
        for (let i = 0; i < 4; i++) openRequest(key, `bp-${i}`);
        await inFlight(4);
        const tooMany = await send(key);
        assert.equal(tooMany.status, 429);
        assert.equal(tooMany.headers.get("retry-after"), "1");
        assert.equal(((await tooMany.json()) as { error: { code: string } }).error.code, "TooManyRequests");
        for (let i = 0; i < 4; i++) openRequest(otherKey, `bp-o-${i}`);
        await inFlight(8);
        const third = await server.ingestKey(await server.createApp(["rtc"]));
        const overloaded = await send(third);
        assert.equal(overloaded.status, 503);
        assert.equal(overloaded.headers.get("retry-after"), "1");
      } finally {
        for (const o of open) o.close();
      }
      const answers = await Promise.all(open.map((o) => o.done));
      assert.deepEqual(
        answers.map((r) => r.status),
        Array(8).fill(200),
      );
      assert.equal((await post(server, key, line({ ctime: now, room_id: "after", uid: "u", metrics: { appcpu: 1 } }))).status, 200);
    });

    test("property: any NDJSON gets 200 or 400, never a 500; a 400 stores nothing, a 200 every distinct sample", async () => {
      const second = Math.floor(now / 1000) * 1000;
      const goodLine = fc
        .record({
          ctime: fc.integer({ min: 0, max: 3600 }).map((k) => second - k * 1000),
          room_id: fc.constant("prop"),
          uid: fc.constantFrom("u", "w", "\u0000"),
          metrics: fc.dictionary(fc.constantFrom("appcpu", "vbit", "aloss", "drtt"), fc.double({ min: 0, max: 1e6, noNaN: true }), {
            minKeys: 1,
          }),
        })
        .map((o) => JSON.stringify(o));
      const badLine = fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.json(),
        fc.record({ ctime: fc.anything(), room_id: fc.anything(), uid: fc.string(), metrics: fc.anything() }).map((o) => JSON.stringify(o)),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.oneof(goodLine, goodLine, badLine), { maxLength: 12 }), async (lines) => {
          const room = `prop-${run++}`;
          const body = lines.map((l) => l.replace('"room_id":"prop"', `"room_id":"${room}"`)).join("\n");
          const r = await post(server, key, body);
          assert.ok(r.status === 200 || r.status === 400, `status ${r.status}`);
          await r.arrayBuffer();
          if (r.status === 400) assert.deepEqual(await stored(room), nothing);
          if (r.status === 200) {
            // Every good line's (uid, ctime) is one sample; lines repeating one are stored once.
            for (const uid of ["u", "w"]) {
              const want = new Set(
                lines.flatMap((l) => {
                  try {
                    const o = JSON.parse(l) as { uid?: unknown; ctime?: unknown; room_id?: unknown };
                    return o.room_id === "prop" && o.uid === uid && typeof o.ctime === "number" ? [iso(o.ctime)] : [];
                  } catch {
                    return [];
                  }
                }),
              );
              assert.deepEqual((await stored(room, uid)).times, want);
            }
          }
        }),
        { numRuns: 40 },
      );
    });
  });
}
