// The Janus reader and translator on REAL sampleevh POSTs (fixtures/janus-events-*.json,
// recorded from Debian's janus 1.1.2 with two headless Chromium participants by
// fixtures/capture-janus.ts: alice stays; bob joins, leaves, comes back; both leave), then
// fast-check on hostile variations of them. Pure: no server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { readJanusEvents, type JanusFact } from "../../src/sources/janus/janus-event.ts";
import { JanusState } from "../../src/sources/janus/state.ts";
import { translate, type Translation } from "../../src/sources/janus/translate.ts";

const fixture = (name: string): { body: unknown }[] => JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", name), "utf8"));
const SEPARATE = fixture("janus-events-separate.json");
const COMBINED = fixture("janus-events-combined.json");
/** The same call through a UDP relay dropping 10 % of the datagrams each way. */
const RELAYED = fixture("janus-events-relayed.json");

/** Every POST in order through one working state, as the route does across requests. */
function run(posts: { body: unknown }[]): Translation & { facts: JanusFact[] } {
  const state = new JanusState();
  const out = { events: [], samples: [], facts: [] } as Translation & { facts: JanusFact[] };
  for (const p of posts) {
    const r = readJanusEvents(p.body);
    assert.deepEqual(r.bad, [], "a real Janus event is never refused");
    out.facts.push(...r.facts);
    const t = translate(r.facts, state);
    out.events.push(...t.events);
    out.samples.push(...t.samples);
  }
  return out;
}

/** The raw Janus timestamps (ms) of the VideoRoom joins and leaves, by display. */
function raw(posts: { body: any }[]) {
  const events = posts.flatMap((p) => [p.body].flat());
  const displayOf = new Map<number, string>();
  const out: { display: string; what: string; at: number }[] = [];
  for (const e of events) {
    const d = e.event?.data;
    if (e.type !== 64 || !d) continue;
    if (d.event === "joined") displayOf.set(d.id, d.display);
    if (d.event === "joined" || d.event === "leaving")
      out.push({ display: displayOf.get(d.id)!, what: d.event, at: Math.floor(e.timestamp / 1000) });
  }
  return out;
}

for (const [name, posts] of [
  ["separate media stats", SEPARATE],
  ["combined media stats", COMBINED],
] as const) {
  test(`${name}: presence is the VideoRoom's joins and leaves, by display, at Janus's times`, () => {
    const t = run(posts);
    const presence = t.events.filter((e) => e.kind === "joined" || e.kind === "left");
    const expected = raw(posts).map((r) => ({ identity: r.display, kind: r.what === "joined" ? "joined" : "left", at: r.at }));
    assert.deepEqual(
      presence.map((e) => ({ identity: e.identity, kind: e.kind, at: e.at })),
      expected,
    );
    // alice once, bob twice (he left and came back): each presence on its own feed id.
    assert.deepEqual(
      presence.filter((e) => e.kind === "joined").map((e) => e.identity),
      ["alice", "bob", "bob"],
    );
    assert.equal(new Set(presence.map((e) => e.connection)).size, 3);
    assert.ok(presence.every((e) => e.room === "4242" && e.source === "janus"));
    // Publishing audio and video shows as media on.
    assert.ok(t.events.some((e) => e.kind === "media-on" && e.identity === "alice" && e.extras?.media === "video"));
  });

  test(`${name}: media stats become uplink and downlink samples of both participants`, () => {
    const t = run(posts);
    const up = (uid: string) => t.samples.filter((s) => s.uid === uid && s.peer === null);
    const down = (uid: string, peer: string) => t.samples.filter((s) => s.uid === uid && s.peer === peer);
    for (const [uid, peer] of [
      ["alice", "bob"],
      ["bob", "alice"],
    ] as const) {
      assert.ok(up(uid).length >= 3, `${uid} uplink samples (${up(uid).length})`);
      assert.ok(down(uid, peer).length >= 2, `${uid} → ${peer} downlink samples (${down(uid, peer).length})`);
      // One sample per stats round holds audio and video together.
      assert.ok(
        up(uid).some((s) => s.metrics.abit !== undefined && s.metrics.vbit !== undefined),
        "audio and video of a round merge",
      );
      // A clean loopback call: no uplink loss measured by Janus.
      assert.ok(
        up(uid).every((s) => (s.metrics.aloss ?? 0) === 0 && (s.metrics.vloss ?? 0) === 0),
        "no loss on loopback",
      );
      assert.ok(
        up(uid).every((s) => s.metrics.artt === undefined && s.metrics.vrtt === undefined),
        "Janus has no uplink RTT",
      );
    }
    // Video flows at tens of kbit/s at least, audio at Opus's rate.
    const vbits = t.samples.flatMap((s) => (s.metrics.vbit ? [s.metrics.vbit] : []));
    assert.ok(Math.max(...vbits) > 50, `video bitrate ${Math.max(...vbits)} kbit/s`);
    // Downlink RTT once the subscriber's receiver reports came back.
    assert.ok(t.samples.some((s) => s.peer !== null && (s.metrics.artt ?? s.metrics.vrtt) !== undefined));
  });
}

test("through a 10 % lossy relay: uplink loss per second is Janus's own count of the packets it never got", () => {
  const t = run(RELAYED);
  // Recomputed here from the raw events, by the definition: Δlost / (Δlost + Δreceived) per
  // publisher handle and medium, between consecutive reports. A handle's last report, sent
  // at hang-up, counts when it comes in the POST that ends its session; one that comes in a
  // later POST finds the session's state gone and is dropped (a fraction of a second).
  const ended = new Set<number>();
  const raw = RELAYED.flatMap((p) => {
    const events = [p.body].flat() as any[];
    const kept = events.filter((e) => !ended.has(e.session_id));
    for (const e of events) if (e.type === 1 && e.event?.name === "destroyed") ended.add(e.session_id);
    return kept;
  });
  const publishers = new Set(raw.filter((e) => e.event?.data?.event === "joined").map((e) => e.handle_id));
  const prev = new Map<string, { lost: number; got: number }>();
  const want: number[] = [];
  for (const e of raw) {
    if (e.type !== 32 || e.subtype !== 3 || !publishers.has(e.handle_id) || e.event.media !== "audio") continue;
    const k = `${e.handle_id}`;
    const p = prev.get(k) ?? { lost: 0, got: 0 };
    const got = e.event["packets-received"] - e.event["retransmissions-received"];
    const lost = e.event.lost - p.lost;
    if (lost + got - p.got > 0) want.push((100 * lost) / (lost + got - p.got));
    prev.set(k, { lost: e.event.lost, got });
  }
  const served = t.samples.filter((s) => s.peer === null && s.metrics.aloss !== undefined).map((s) => s.metrics.aloss!);
  assert.deepEqual(
    served.map((v) => v.toFixed(6)),
    want.map((v) => v.toFixed(6)),
  );
  const mean = served.reduce((a, b) => a + b, 0) / served.length;
  assert.ok(mean > 5 && mean < 20, `uplink audio loss ${mean} % through the 10 % relay`);
});

test("a POST delivered twice (a retransmission) changes nothing the second time", () => {
  const state = new JanusState();
  const first: Translation[] = [];
  const again: Translation[] = [];
  for (const p of SEPARATE) {
    const { facts } = readJanusEvents(p.body);
    first.push(translate(facts, state));
    again.push(translate(facts, state));
  }
  // The presence events repeat with the same ids (the attendance model drops them) ...
  assert.deepEqual(
    again.flatMap((t) => t.events.map((e) => e.eventId)).filter((id) => !first.flatMap((t) => t.events.map((e) => e.eventId)).includes(id)),
    [],
  );
  // ... and no sample of a replayed report counts an interval twice: loss stays 0.
  assert.ok(again.flatMap((t) => t.samples).every((s) => (s.metrics.aloss ?? 0) === 0 && (s.metrics.vloss ?? 0) === 0));
});

// Hostile variations of real events: any JSON in place of any field, events dropped or
// repeated. The reader either names the bad event or reads it; nothing throws.
const REAL = SEPARATE.flatMap((p) => [p.body].flat()) as Record<string, unknown>[];

test("property: any JSON in place of a field of a real event is read or refused with its index, never thrown", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: REAL.length - 1 }),
      fc.jsonValue(),
      fc.boolean(),
      fc.constantFrom("type", "timestamp", "session_id", "handle_id", "emitter", "event", "subtype"),
      (i, value, inEvent, key) => {
        const e = structuredClone(REAL[i]!) as any;
        if (inEvent && e.event && typeof e.event === "object") {
          const target = e.event.data && typeof e.event.data === "object" ? e.event.data : e.event;
          const keys = Object.keys(target);
          target[keys[Math.abs(JSON.stringify(value).length) % Math.max(1, keys.length)] ?? "x"] = value;
        } else e[key] = value;
        const r = readJanusEvents([REAL[0], e]);
        assert.ok(r.bad.every((b) => b.index === 1));
        translate(r.facts, new JanusState());
      },
    ),
    { numRuns: 500 },
  );
});

test("property: any JSON body is read or refused per event, and translation never throws", () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), fc.array(fc.oneof(fc.jsonValue(), fc.constantFrom(...REAL)))), (body) => {
      const r = readJanusEvents(body);
      const n = Array.isArray(body) ? body.length : 1;
      assert.ok(r.bad.every((b) => b.index >= 0 && b.index < n));
      translate(r.facts, new JanusState());
    }),
    { numRuns: 500 },
  );
});

test("property: the real stream shuffled, with events dropped or repeated, still translates", () => {
  fc.assert(
    fc.property(fc.shuffledSubarray(REAL), fc.array(fc.constantFrom(...REAL), { maxLength: 20 }), (some, extra) => {
      const r = readJanusEvents([...some, ...extra]);
      assert.deepEqual(r.bad, []);
      const t = translate(r.facts, new JanusState());
      for (const s of t.samples) for (const v of Object.values(s.metrics)) assert.ok(Number.isFinite(v) && v! >= 0);
      for (const s of t.samples)
        for (const k of ["aloss", "vloss"] as const) if (s.metrics[k] !== undefined) assert.ok(s.metrics[k]! <= 100);
    }),
    { numRuns: 200 },
  );
});
