// POST /ingest/v1/janus black box, with REAL Janus event handler POSTs (fixtures recorded from
// Debian's janus 1.1.2, their timestamps moved to now): basic auth through a source link,
// grouped and single-event bodies, gzip, the QoS samples served by ListRtcClientQosDetails
// (Huawei SDK core) equal to what the translator computes from the same events, retransmitted
// POSTs, and fast-check: hostile Janus events get the native 400, never a 500, never a
// half-written batch.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { backends } from "../support/postgres.ts";
import { startServer, type TestServer } from "../support/server.ts";
import { hcClient, qosDetails } from "../support/huawei.ts";
import { readJanusEvents } from "../../src/sources/janus/janus-event.ts";
import { JanusState } from "../../src/sources/janus/state.ts";
import { translate } from "../../src/sources/janus/translate.ts";

const POSTS: { body: any }[] = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "janus-events-separate.json"), "utf8"));
const FIRST_US: number = [POSTS[0]!.body].flat()[0].timestamp;
const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;

/** The recorded POSTs with their times moved to start at `startMs`, and the room renamed. */
function replay(startMs: number, room = 4242): unknown[] {
  const shift = startMs * 1000 - FIRST_US;
  return POSTS.map((p) =>
    JSON.parse(JSON.stringify(p.body), (k, v) => (k === "timestamp" ? v + shift : k === "room" && v === 4242 ? room : v)),
  );
}

for (const backend of backends()) {
  describe(`Janus event handler route (${backend})`, () => {
    let server: TestServer;
    let lcicApp: string;
    let rtcApp: string;
    let now: number;
    const auth = `Basic ${Buffer.from("janus-1:s3cret-pass").toString("base64")}`;

    before(async () => {
      server = await startServer({ backend });
      lcicApp = await server.createApp(["lcic"]);
      rtcApp = await server.createApp(["rtc"]);
      await server.admin("POST", "/sources/links", { appId: lcicApp, kind: "janus", keyId: "janus-1", secret: "s3cret-pass" });
      now = (await server.admin<{ now: number }>("GET", "/clock")).now;
    });
    after(() => server?.stop());

    const post = (body: unknown, o: { auth?: string; query?: string; gzip?: boolean } = {}) => {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      return fetch(`${server.url}/ingest/v1/janus${o.query ?? `?qos_app=${rtcApp}`}`, {
        method: "POST",
        headers: {
          ...(o.auth !== "" ? { authorization: o.auth ?? auth } : {}),
          "content-type": "application/json",
          ...(o.gzip ? { "content-encoding": "gzip" } : {}),
        },
        body: o.gzip ? gzipSync(text) : text,
      });
    };

    async function series(room: string, user: string) {
      const res = await qosDetails(hcClient(server), {
        app_id: rtcApp,
        room_id: room,
        user_id: user,
        mid: "all",
        start_time: iso(now - 3600_000),
        end_time: iso(now + 3600_000),
        limit: 1000,
      });
      return res.data ?? [];
    }

    test("authentication: none, a wrong secret, an unknown key id: 401 in the native shape", async () => {
      for (const a of [
        "",
        `Basic ${Buffer.from("janus-1:wrong").toString("base64")}`,
        `Basic ${Buffer.from("nobody:x").toString("base64")}`,
      ]) {
        const res = await post([], { auth: a });
        assert.equal(res.status, 401);
        assert.equal(((await res.json()) as any).error.code, "Unauthorized");
      }
    });

    test("a qos_app that is not an rtc app of the account: 403, nothing stored", async () => {
      const res = await post(replay(now, 5001).flat(), { query: `?qos_app=${lcicApp}` });
      assert.equal(res.status, 403);
      assert.deepEqual(await series("5001", "alice"), []);
    });

    test("the recorded call, POST by POST: every QoS point served is one the translator computes from the same events", async () => {
      const bodies = replay(now - 60_000, 5002);
      let accepted = 0;
      let samples = 0;
      for (const [i, body] of bodies.entries()) {
        // Every fifth POST as Janus sends it with grouping = false (one event) or compress = true.
        const res = i % 5 === 1 ? await post(body, { gzip: true }) : await post(body);
        assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
        const ack = (await res.json()) as any;
        accepted += ack.accepted;
        samples += ack.samples;
      }
      assert.ok(accepted >= 6, `presence events accepted (${accepted})`);
      // The same events through the pure translator, with the mapping's defaults.
      const state = new JanusState();
      const expected = bodies.flatMap((b) => translate(readJanusEvents(b).facts, state).samples);
      assert.equal(samples, expected.length);
      for (const user of ["alice", "bob"]) {
        const served = await series("5002", user);
        for (const s of served) {
          const mine = expected.filter((e) => e.uid === user && (e.peer ?? "0") === s.peerid && e.metrics[s.mid as "abit"] !== undefined);
          // Huawei's times are whole seconds: a second may hold two samples (a regular report
          // and the last one at hang-up), served in order.
          assert.deepEqual(
            s.data.map((p) => p.time),
            mine.map((e) => iso(e.ctime)),
            `${user}/${s.peerid}/${s.mid} times`,
          );
          s.data.forEach((p, i) => {
            const want = mine[i]!.metrics[s.mid as "abit"]!;
            assert.ok(Math.abs(p.value - want) <= 1e-5 * Math.max(1, want), `${s.mid} ${p.time}: ${p.value} vs ${want}`);
          });
        }
        const kinds = new Set(served.map((s) => `${s.peerid === "0" ? "up" : "down"}/${s.mid}`));
        for (const k of ["up/abit", "up/vbit", "up/aloss", "up/vloss", "up/ajitter", "down/abit", "down/vbit", "down/vjitter"]) {
          assert.ok(kinds.has(k), `${user}: series ${k} (${[...kinds].join(" ")})`);
        }
      }
      // Janus retransmits a POST whose connection failed: the same POST again stores nothing new.
      const again = (await (await post(bodies[40])).json()) as any;
      assert.equal(again.accepted, 0);
    });

    test("malformed events: 400 naming each (index and reason), nothing of the POST stored", async () => {
      const good = replay(now - 120_000, 5003).flat() as any[];
      const broken = structuredClone(good);
      broken[3] = { ...broken[3], timestamp: "yesterday" };
      broken[7] = { type: 64, timestamp: 1, event: { plugin: "janus.plugin.videoroom", data: { event: "joined", room: 5003, id: -1 } } };
      const res = await post(broken);
      assert.equal(res.status, 400);
      const err = ((await res.json()) as any).error;
      assert.equal(err.code, "InvalidBatch");
      assert.deepEqual(
        err.events.map((e: any) => e.index),
        [3, 7],
      );
      assert.deepEqual(await series("5003", "alice"), []);
      for (const body of ["{", "[1,", '"text"', "null"]) {
        const r = await post(body);
        assert.equal(r.status, 400, body);
      }
    });

    test("property: hostile Janus events get 400 or 200, never a 500, and a 400 stores nothing", async () => {
      const real = replay(now - 180_000, 1).flat() as any[];
      const calls = real.filter((e) => e.type === 64 || e.type === 32 || e.type === 1 || e.type === 2);
      let room = 6000;
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray(calls, { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 0, max: 39 }),
          fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 2 ** 53, "", "x".repeat(300), { a: 1 }, [], null, 1e308, "\u0000")),
          fc.constantFrom("type", "timestamp", "session_id", "handle_id", "event", "room", "id", "display", "lost", "media", "streams"),
          async (events, at, value, key) => {
            room++;
            const batch = JSON.parse(JSON.stringify(events), (k, v) => (k === "room" ? room : v)) as any[];
            const target = batch[at % batch.length];
            const holder = key in target ? target : (target.event?.data ?? target.event ?? target);
            if (holder && typeof holder === "object") holder[key] = value;
            const res = await post(batch);
            assert.ok(res.status === 200 || res.status === 400, `status ${res.status}: ${await res.clone().text()}`);
            // An event the reader refuses refuses the POST (the boundary rule refuses more).
            if (readJanusEvents(batch).bad.length > 0) assert.equal(res.status, 400, "a malformed event is refused");
            if (res.status === 400) {
              assert.equal(((await res.json()) as any).error.code.length > 0, true);
              for (const user of ["alice", "bob"]) assert.deepEqual(await series(String(room), user), [], "nothing stored");
            }
          },
        ),
        { numRuns: 40 },
      );
    });
  });
}
