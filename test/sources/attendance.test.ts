// The attendance model alone (no server): per-connection presence, the documented SFU
// misbehaviours, the reconnect gap, aborted connections, room finish and timeout, and the
// property that shuffled and duplicated deliveries derive the same presences.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { deriveAttendance, type RawEvent } from "../../src/sources/attendance/index.ts";

const S = { reconnectGapMs: 10_000, openTimeoutMs: 600_000 };
const T = 1_800_000_000_000;
const s = (sec: number) => T + sec * 1000;
let n = 0;
const ev = (kind: RawEvent["kind"], sec: number, identity = "", connection = "", extras?: RawEvent["extras"]): RawEvent => ({
  eventId: `e${++n}`,
  identity,
  connection,
  kind,
  at: s(sec),
  ...(extras ? { extras } : {}),
});
const spans = (events: RawEvent[], now = s(100_000)) =>
  deriveAttendance(events, S, now).presences.map((p) => [
    p.identity,
    (p.start - T) / 1000,
    p.end === null ? null : (p.end - T) / 1000,
    p.closedBy,
  ]);

describe("attendance model (pure)", () => {
  test("a fast reconnect (new connection joined before the old one left) is one presence", () => {
    assert.deepEqual(
      spans([ev("joined", 0, "a", "PA_1"), ev("joined", 100, "a", "PA_2"), ev("left", 101, "a", "PA_1"), ev("left", 300, "a", "PA_2")]),
      [["a", 0, 300, "left"]],
    );
  });

  test("a reconnect within the gap is one presence; beyond it, two", () => {
    const within = [ev("joined", 0, "a", "1"), ev("left", 50, "a", "1"), ev("joined", 60, "a", "2"), ev("left", 90, "a", "2")];
    assert.deepEqual(spans(within), [["a", 0, 90, "left"]]);
    const beyond = [ev("joined", 0, "a", "1"), ev("left", 50, "a", "1"), ev("joined", 61, "a", "2"), ev("left", 90, "a", "2")];
    assert.deepEqual(spans(beyond), [
      ["a", 0, 50, "left"],
      ["a", 61, 90, "left"],
    ]);
  });

  test("left without joined: from the source's own join time, else an instant", () => {
    assert.deepEqual(spans([ev("left", 40, "a", "1", { connectedAt: s(10) })]), [["a", 10, 40, "left"]]);
    assert.deepEqual(spans([ev("left", 40, "b", "1")]), [["b", 40, 40, "left"]]);
  });

  test("a connection first heard of by its media starts at the left's own join time", () => {
    const events = [ev("media-on", 20, "a", "1", { media: "audio" }), ev("left", 80, "a", "1", { connectedAt: s(10) })];
    assert.deepEqual(spans(events), [["a", 10, 80, "left"]]);
  });

  test("an aborted connection is no presence, even with a join; the identity's other connections count", () => {
    assert.deepEqual(spans([ev("joined", 0, "a", "1"), ev("aborted", 5, "a", "1")]), []);
    assert.deepEqual(spans([ev("aborted", 5, "a", "1"), ev("joined", 7, "a", "2"), ev("left", 20, "a", "2")]), [["a", 7, 20, "left"]]);
  });

  test("room finished closes open connections; a later session of the room is separate", () => {
    const events = [
      ev("room-started", 0),
      ev("joined", 1, "a", "1"),
      ev("room-finished", 100),
      ev("joined", 200, "a", "2"),
      ev("room-finished", 300),
    ];
    assert.deepEqual(spans(events), [
      ["a", 1, 100, "room-finished"],
      ["a", 200, 300, "room-finished"],
    ]);
  });

  test("an open connection stays open until the timeout, then closes at its last news", () => {
    const events = [ev("joined", 0, "a", "1"), ev("media-on", 30, "a", "1", { media: "audio" }), ev("seen", 60, "a", "1")];
    const open = deriveAttendance(events, S, s(60 + 599));
    assert.deepEqual(
      open.presences.map((p) => p.end),
      [null],
    );
    assert.equal(open.nextTimeoutAt, s(660));
    assert.deepEqual(spans(events, s(660)), [["a", 0, 60, "timeout"]]);
    assert.equal(deriveAttendance(events, S, s(660)).nextTimeoutAt, null);
  });

  test("media marks keep their event ids; media before any join opens the connection", () => {
    const a = deriveAttendance([ev("media-on", 5, "a", "1", { media: "video" }), ev("left", 9, "a", "1")], S, s(100));
    assert.deepEqual(
      a.presences.map((p) => [p.start, p.end]),
      [[s(5), s(9)]],
    );
    assert.deepEqual(
      a.media.map((m) => [m.media, m.on]),
      [["video", true]],
    );
  });

  test("property: shuffled, duplicated deliveries derive the same attendance", () => {
    const kinds: RawEvent["kind"][] = ["joined", "left", "aborted", "media-on", "seen", "room-finished"];
    const event = fc.record({
      kind: fc.constantFrom(...kinds),
      sec: fc.integer({ min: 0, max: 2000 }),
      who: fc.constantFrom("a", "b", "c"),
      conn: fc.constantFrom("1", "2", "3"),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 40 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.infiniteStream(fc.nat()),
        (specs, nowS, rnd) => {
          const events = specs.map((x, i): RawEvent => {
            const room = x.kind === "room-finished";
            return {
              eventId: `id${i}`,
              identity: room ? "" : x.who,
              connection: room ? "" : x.conn,
              kind: x.kind,
              at: s(x.sec),
              ...(x.kind === "media-on" ? { extras: { media: "audio" as const } } : {}),
            };
          });
          const it = rnd[Symbol.iterator]();
          const messy = [...events, ...events.filter(() => it.next().value! % 3 === 0)];
          for (let i = messy.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [messy[i], messy[j]] = [messy[j]!, messy[i]!];
          }
          const a = deriveAttendance(events, S, s(nowS));
          const b = deriveAttendance(messy, S, s(nowS));
          assert.deepEqual(b, a);
          for (const p of a.presences) assert.ok(p.end === null || p.end >= p.start);
        },
      ),
      { numRuns: 300 },
    );
  });
});
