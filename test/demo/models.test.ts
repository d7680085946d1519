// The behaviour models, as data: whatever the seed and the scale, a script is coherent (acts
// only while the member is in the room and inside the class, visits in order, the fixed
// cases present), and what is generated from it follows it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { classEvents, classScript, onlineAt } from "../../src/simulate/class-model.ts";
import { qosLines } from "../../src/simulate/qos-model.ts";
import { deviceReports, fleetScript } from "../../src/simulate/device-model.ts";
import { Traffic } from "../../src/simulate/traffic.ts";

test("class scripts are coherent for any seed and size", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 600, max: 7200 }),
      (seed, students, durationS) => {
        const s = classScript({ students, durationS, seed });
        assert.equal(s.members.length, students + 2);
        for (const m of s.members) {
          for (const [i, v] of m.visits.entries()) {
            if (v.leave !== null) assert.ok(v.leave > v.join);
            if (i > 0) assert.ok(v.join > m.visits[i - 1]!.leave!);
            assert.equal(v.leave === null, v.reason === null);
          }
          for (const a of m.acts) {
            assert.ok(a.at >= 0 && a.at < durationS, `${m.name} ${a.type} at ${a.at}`);
            assert.ok(onlineAt(m, a.at), `${m.name} ${a.type} at ${a.at} while away`);
          }
        }
        if (students >= 5) {
          const reasons = s.members.flatMap((m) => m.visits.map((v) => v.reason));
          assert.ok(reasons.includes("dropped") && reasons.includes("kicked") && reasons.includes("left"));
        }
        // The generated events: one per join, leave and act, in time order, ids unique.
        const ev = classEvents(s, 7, 1_000_000, (n) => `u-${n}`, "x");
        const expected = s.members.reduce(
          (n, m) => n + m.visits.length + m.visits.filter((v) => v.leave !== null).length + m.acts.length,
          0,
        );
        assert.equal(ev.length, expected);
        assert.equal(new Set(ev.map((e) => e.id)).size, ev.length);
        for (let i = 1; i < ev.length; i++) assert.ok(ev[i]!.ctime >= ev[i - 1]!.ctime);
      },
    ),
    { numRuns: 60 },
  );
});

test("QoS lines: one per member in the room every period, none while away", () => {
  const s = classScript({ students: 8, durationS: 600, seed: 3 });
  const lines = qosLines(s, "r", 1000, 0, 600, (n) => n, 2);
  for (const m of s.members) {
    const mine = lines.filter((l) => l.uid === m.name).map((l) => l.ctime / 1000 - 1000);
    const want = Array.from({ length: 300 }, (_, i) => i * 2).filter((t) => onlineAt(m, t));
    assert.deepEqual(mine, want, m.name);
  }
});

test("fleet: no device in two sessions at once; every report inside its session; windows partition the reports", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), (fields, consoles) => {
      fc.pre(fields >= consoles);
      const f = fleetScript({ fields, consoles, durationS: 1800 });
      for (const a of f.sessions) {
        for (const b of f.sessions) {
          if (a === b) continue;
          const overlap = a.start < b.end && b.start < a.end;
          if (overlap) assert.ok(a.field !== b.field && a.console !== b.console, `${a.suffix} and ${b.suffix}`);
        }
      }
      const all = deviceReports(f, "p", 0, 0, 1801);
      let n = 0;
      for (let from = 0; from < 1801; from += 30)
        for (const r of deviceReports(f, "p", 0, from, Math.min(from + 30, 1801)).values()) n += r.length;
      assert.equal(
        n,
        [...all.values()].reduce((x, r) => x + r.length, 0),
      );
      for (const s of f.sessions) {
        const mine = (all.get(s.field) ?? []).filter((r) => r.data.sessionId === `p-${s.suffix}`);
        assert.equal(mine[0]!.type, "trro.session.started");
        assert.equal(mine.at(-1)!.type, "trro.session.ended");
      }
    }),
    { numRuns: 40 },
  );
});

test("traffic hands out every item once, in time order within its windows, then runs dry", () => {
  const script = classScript({ students: 4, durationS: 300, seed: 9 });
  const userIds = new Map(script.members.map((m) => [m.name, m.name]));
  const fleet = fleetScript({ fields: 2, consoles: 1, durationS: 300, sessionS: 100, pauseS: 20 });
  const traffic = new Traffic({ rooms: [{ roomId: 1, script, userIds }], fleet, projectId: "p", startS: 0, qosEveryS: 2 });
  const items = [];
  for (let batch = traffic.take(37); batch.length > 0; batch = traffic.take(37)) items.push(...batch);
  const cls = classEvents(script, 1, 0, (n) => n, "sim-1").length;
  const qos = qosLines(script, "1", 0, 0, 300, (n) => n, 2).length;
  const dev = [...deviceReports(fleet, "p", 0, 0, 10_000).values()].reduce((n, r) => n + r.length, 0);
  assert.equal(items.filter((i) => i.kind === "class").length, cls);
  assert.equal(items.filter((i) => i.kind === "qos").length, qos);
  assert.equal(items.filter((i) => i.kind === "device").length, dev);
});
