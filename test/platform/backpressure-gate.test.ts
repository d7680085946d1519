// The native kit's gate (src/protocols/native/backpressure.ts) as a pure model, with
// fast-check (issue 16, item 2): every answer matches a reference model of the rule (503 for
// the route's slots and bytes, 429 for an app's half), the bounds always hold, bytes are
// counted as read (not as declared), and whatever one app does, another still gets its whole
// share of slots and bytes. No server: this is the boundary the HTTP tests cross.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Gate, gateLimits, type Ticket } from "../../src/protocols/native/backpressure.ts";

const BODY = 1000;

const limitsArb = fc.record({
  maxInFlight: fc.integer({ min: 2, max: 12 }),
  budgetBytes: fc.integer({ min: 2 * BODY, max: 10 * BODY }),
});

const opsArb = (apps: number) =>
  fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant("admit" as const),
        app: fc.integer({ min: 0, max: apps - 1 }),
        declared: fc.option(fc.integer({ min: 0, max: BODY }), { nil: null }),
      }),
      fc.record({ kind: fc.constant("read" as const), ticket: fc.nat(40), n: fc.integer({ min: 1, max: BODY }) }),
      fc.record({ kind: fc.constant("release" as const), ticket: fc.nat(40) }),
    ),
    { maxLength: 120 },
  );

const outcome = (r: Ticket | { httpStatus: number }) => ("read" in r ? 200 : r.httpStatus);

test("property: the gate answers as the model says, and never holds more than its bounds", () => {
  fc.assert(
    fc.property(limitsArb, opsArb(3), ({ maxInFlight, budgetBytes }, ops) => {
      const limits = gateLimits({ maxInFlight, budgetBytes, what: "test" }, BODY);
      const gate = new Gate(limits);
      const share = Math.floor(maxInFlight / 2);
      const appBudget = Math.floor(budgetBytes / 2);
      assert.equal(limits.maxPerApp, share);
      assert.equal(limits.budgetPerApp, appBudget);
      const model = { slots: 0, bytes: 0, apps: new Map<number, { slots: number; bytes: number }>() };
      const tickets: { ticket: Ticket; app: number; bytes: number; open: boolean }[] = [];
      for (const op of ops) {
        if (op.kind === "admit") {
          const mine = model.apps.get(op.app) ?? { slots: 0, bytes: 0 };
          const d = op.declared ?? 0;
          const expected =
            model.slots >= maxInFlight || model.bytes + d > budgetBytes
              ? 503
              : mine.slots >= share || mine.bytes + d > appBudget
                ? 429
                : 200;
          const got = gate.admit(`app-${op.app}`, op.declared);
          assert.equal(outcome(got), expected, JSON.stringify(op));
          if ("read" in got) {
            model.slots++;
            mine.slots++;
            model.apps.set(op.app, mine);
            tickets.push({ ticket: got, app: op.app, bytes: 0, open: true });
          }
        } else if (tickets.length > 0) {
          const t = tickets[op.ticket % tickets.length]!;
          const mine = model.apps.get(t.app)!;
          if (op.kind === "read") {
            const expected = !t.open ? 200 : model.bytes + op.n > budgetBytes ? 503 : mine.bytes + op.n > appBudget ? 429 : 200;
            const refused = t.ticket.read(op.n);
            assert.equal(refused === null ? 200 : refused.httpStatus, expected, JSON.stringify(op));
            if (refused === null && t.open) {
              t.bytes += op.n;
              mine.bytes += op.n;
              model.bytes += op.n;
            }
          } else {
            t.ticket.release();
            if (t.open) {
              t.open = false;
              model.slots--;
              model.bytes -= t.bytes;
              mine.slots--;
              mine.bytes -= t.bytes;
            }
          }
        }
        assert.ok(gate.inFlight <= maxInFlight && gate.held <= budgetBytes);
        assert.equal(gate.inFlight, model.slots);
        assert.equal(gate.held, model.bytes);
        for (const [, a] of gate.perApp) assert.ok(a.slots <= share && a.bytes <= appBudget);
      }
      for (const t of tickets) t.ticket.release();
      assert.equal(gate.inFlight, 0);
      assert.equal(gate.held, 0);
      assert.equal(gate.perApp.size, 0);
    }),
    { numRuns: 300 },
  );
});

test("property: whatever one app holds, another gets its whole share of slots and bytes", () => {
  fc.assert(
    fc.property(limitsArb, opsArb(1), ({ maxInFlight, budgetBytes }, ops) => {
      const gate = new Gate(gateLimits({ maxInFlight, budgetBytes, what: "test" }, BODY));
      const held: Ticket[] = [];
      for (const op of ops) {
        if (op.kind === "admit") {
          const t = gate.admit("greedy", op.declared);
          if ("read" in t) held.push(t);
        } else if (held.length > 0) {
          const t = held[op.ticket % held.length]!;
          if (op.kind === "read") t.read(op.n);
          else t.release();
        }
      }
      const { maxPerApp, budgetPerApp } = gate.limits;
      const mine: Ticket[] = [];
      for (let i = 0; i < maxPerApp; i++) {
        const t = gate.admit("polite", null);
        assert.ok("read" in t, `slot ${i} of ${maxPerApp} refused with ${gate.inFlight} in flight`);
        mine.push(t);
      }
      // Its whole byte share, read in body-sized chunks spread over its requests.
      let left = budgetPerApp;
      for (let i = 0; left > 0; i++) {
        const n = Math.min(BODY, left);
        assert.equal(mine[i % mine.length]!.read(n), null, `byte ${budgetPerApp - left} of ${budgetPerApp} refused`);
        left -= n;
      }
    }),
    { numRuns: 300 },
  );
});

test("a route may ask for less than the fair share, never more; a full body must fit an app's share of bytes", () => {
  assert.equal(gateLimits({ maxInFlight: 8, maxPerApp: 2, what: "t" }, BODY).maxPerApp, 2);
  assert.throws(() => gateLimits({ maxInFlight: 8, maxPerApp: 5, what: "t" }, BODY), /fair share/);
  assert.throws(() => gateLimits({ maxInFlight: 8, budgetBytes: BODY, what: "t" }, BODY), /share of bytes/);
  assert.throws(() => gateLimits({ maxInFlight: 1, what: "t" }, BODY), /at least 2 slots/);
  // A chunked body is counted as it is read, not as the body limit.
  const gate = new Gate(gateLimits({ maxInFlight: 64, what: "t" }, BODY));
  const t = gate.admit("a", null);
  assert.ok("read" in t);
  assert.equal(gate.held, 0);
  assert.equal(t.read(10), null);
  assert.equal(gate.held, 10);
});
