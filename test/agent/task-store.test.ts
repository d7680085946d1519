// The agent task store (src/agent/tasks.ts) against both storage backends: each transition
// is one conditional statement, so claims are exclusive, a stop and a finish cannot both
// win, and expired leases go back to the queue (or end the task) exactly once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openDb } from "../../src/storage/open.ts";
import { migrate } from "../../src/storage/migrate.ts";
import type { Db } from "../../src/storage/db.ts";
import type { ProductContext } from "../../src/product-context.ts";
import {
  claimTask,
  createTask,
  finishTask,
  getTask,
  heartbeat,
  heartbeatMany,
  requestStop,
  sweepExpiredLeases,
  type AgentKind,
  type AgentTask,
  type Holder,
} from "../../src/agent/tasks.ts";
import { backends, freshDatabase } from "../support/postgres.ts";

/** A holder: the worker id and the credential it claims with. */
const h = (workerId: string, credentialId = "wk-test"): Holder => ({ workerId, credentialId });
import { ROOT } from "../support/server.ts";

for (const backend of backends()) {
  describe(`agent task store (${backend})`, () => {
    let db: Db;
    let n = 0;
    const now = () => Date.now();
    before(async () => {
      db = await openDb({ databaseUrl: backend === "postgres" ? await freshDatabase() : null, dataDir: null });
      await migrate(db, [{ component: "platform", dir: join(ROOT, "src", "storage", "migrations") }], now);
    });
    after(() => db.close());

    const newTask = async (maxAttempts = 2) => {
      const taskId = `t${++n}`;
      await createTask(db, { appId: "app", taskId, kind: "k", spec: { n }, maxAttempts, now: now() });
      return taskId;
    };
    const drainQueue = async () => {
      while (await claimTask(db, "app", "k", h("drain"), 60_000, now())) {
        /* empty the queue of earlier tests */
      }
    };

    test("claim: exclusive under concurrency; attempts counted; spec handed over", async () => {
      await drainQueue();
      const ids = await Promise.all([newTask(), newTask(), newTask()]);
      const claims = await Promise.all(Array.from({ length: 9 }, (_, i) => claimTask(db, "app", "k", h(`w${i}`), 60_000, now())));
      const got = claims.filter((c): c is AgentTask & { leaseToken: string } => c !== null);
      assert.equal(new Set(got.map((c) => c.leaseToken)).size, got.length, "a lease token of its own per claim");
      assert.deepEqual(got.map((c) => c.taskId).sort(), [...ids].sort());
      for (const c of got) {
        assert.equal(c.attempts, 1);
        assert.equal(c.state, "claimed");
        assert.equal(typeof c.spec.n, "number");
      }
    });

    test("heartbeat and heartbeatMany: only the holder, with its lease token, with the stop flag", async () => {
      await drainQueue();
      const a = await newTask();
      const b = await newTask();
      const ca = (await claimTask(db, "app", "k", h("holder"), 60_000, now()))!;
      const cb = (await claimTask(db, "app", "k", h("holder"), 60_000, now()))!;
      assert.deepEqual([ca.taskId, cb.taskId], [a, b]);
      const la = { taskId: a, leaseToken: ca.leaseToken };
      const lb = { taskId: b, leaseToken: cb.leaseToken };
      const hb = await heartbeat(db, "app", la, h("holder"), 60_000);
      assert.equal(hb?.taskId, a);
      assert.equal(hb?.stopRequested, false);
      assert.equal(await heartbeat(db, "app", la, h("intruder"), 60_000), null);
      // Another lease's token, and the right token through another credential: refused.
      assert.equal(await heartbeat(db, "app", { taskId: a, leaseToken: cb.leaseToken }, h("holder"), 60_000), null);
      assert.equal(await heartbeat(db, "app", la, h("holder", "wk-other"), 60_000), null);
      assert.equal(await requestStop(db, "app", b, now()), "requested");
      assert.deepEqual(
        await heartbeatMany(db, "app", [la, lb, { taskId: "nope", leaseToken: "x" }], h("holder"), 60_000),
        new Map([
          [a, false],
          [b, true],
        ]),
      );
      assert.deepEqual(await heartbeatMany(db, "app", [la], h("intruder"), 60_000), new Map());
      assert.deepEqual(
        await heartbeatMany(db, "app", [{ taskId: a, leaseToken: cb.leaseToken }, lb], h("holder"), 60_000),
        new Map([[b, true]]),
      );
    });

    test("stop and finish: the first wins, the second finds the task done", async () => {
      const queued = await newTask();
      assert.equal(await requestStop(db, "app", queued, now()), "done"); // nobody held it
      assert.equal(await requestStop(db, "app", queued, now()), null);
      assert.equal(await finishTask(db, "app", queued, now()), false);
      await drainQueue();
      const held = await newTask();
      await claimTask(db, "app", "k", h("w"), 60_000, now());
      const [stop, finish] = await Promise.all([
        db.transaction((tx) => requestStop(tx, "app", held, now())),
        db.transaction((tx) => finishTask(tx, "app", held, now())),
      ]);
      assert.equal((await getTask(db, "app", held))?.state, "done");
      // Either the stop was asked first (then the finish ended it) or the finish came first.
      assert.ok((stop === "requested" && finish) || (stop === null && finish), `${stop} / ${finish}`);
    });

    test("expired leases: back to the queue, then done when the attempts are used up; each once", async () => {
      await drainQueue();
      const id = await newTask(2);
      const seen: { final: boolean; attempts: number }[] = [];
      const kind: AgentKind = {
        kind: "k",
        product: "p",
        reports: {},
        async onReport() {},
        async onLeaseExpired(_tx, task, final) {
          seen.push({ final, attempts: task.attempts });
        },
      };
      const clock = { now };
      const kinds = new Map([["k", { kind, ctx: {} as ProductContext }]]);
      await claimTask(db, "app", "k", h("w1"), -1, now()); // a lease already run out
      const swept = await Promise.all([sweepExpiredLeases(db, clock, kinds), sweepExpiredLeases(db, clock, kinds)]);
      assert.equal(swept[0] + swept[1], 1);
      assert.equal((await getTask(db, "app", id))?.state, "queued");
      const again = await claimTask(db, "app", "k", h("w2"), -1, now());
      assert.equal(again?.attempts, 2);
      assert.equal(await sweepExpiredLeases(db, clock, kinds), 1);
      assert.equal((await getTask(db, "app", id))?.state, "done");
      assert.deepEqual(seen, [
        { final: false, attempts: 1 },
        { final: true, attempts: 2 },
      ]);
      assert.equal(await claimTask(db, "app", "k", h("w3"), 60_000, now()), null);
    });
  });
}
