// Issue 16 item 5: the shipped simulated workers keep their task across a server restart.
// The server is SIGKILLed while a GME recording records and while a TIW whiteboard push
// pushes, stays down for longer than a lease, and comes back on the same data directory (or
// database) and port. Each task then finishes normally, observed through the SDKs, and the
// database shows it was claimed once: no attempt spent, no second worker, no exception.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { openDb } from "../../src/storage/open.ts";
import { gmeRecorderSimulator } from "../../src/products/gme/recorder-simulator.ts";
import { tiwPushSimulator } from "../../src/products/tiw/push-simulator.ts";
import type { WorkerSimulator } from "../../src/agent/simulator.ts";
import { DEFAULT_RETRY } from "../../src/agent/retry.ts";
import { eventually, gmeClient, recordingApp, statusesOf } from "../gme/gme-support.ts";
import { pushUser, tiwApp, tiwClient, validSig } from "../tiw/helpers.ts";

// The lease must outlast a worker's longest wait between two attempts (DEFAULT_RETRY.maxMs,
// 2 s, with full jitter): the grace a start grants runs from when it listens, and the worker's
// next heartbeat may come up to that wait later, later still on a loaded host. At 2 s the two
// raced: once in CI (30 Nov) the lease ran out first, the stopped task was swept to done, and
// the recorder, told its lease was lost, returned with the streams left at status 2.
const LEASE_MS = 2 * DEFAULT_RETRY.maxMs;

/** A free loopback port, so that the restarted server answers where the workers call. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** A simulated worker run in this process until it returns (once) or is stopped. */
function run(sim: WorkerSimulator, server: TestServer, credential: string, workerId: string, once: boolean) {
  const abort = new AbortController();
  const lines: string[] = [];
  const done = sim({
    baseUrl: server.url,
    credential,
    workerId,
    startDelayMs: 0,
    failureRate: 0,
    once,
    signal: abort.signal,
    log: (l) => lines.push(l),
  });
  // A worker that gives up rejects: kept as a value, so the test can say so.
  const outcome = done.then(
    () => "returned",
    (err: unknown) => `threw: ${String(err)}`,
  );
  return {
    lines,
    outcome,
    async stop() {
      abort.abort();
      return outcome;
    },
  };
}

for (const backend of backends()) {
  describe(`agent workers across a server restart (${backend})`, () => {
    let server: TestServer;
    let port: number;
    const env = { ROOMLEDGER_AGENT_LEASE_MS: String(LEASE_MS), ROOMLEDGER_AGENT_SWEEP_MS: "100", ROOMLEDGER_RATE_LIMIT: "0" };
    before(async () => {
      port = await freePort();
      server = await startServer({ backend, port, env });
    });
    after(async () => {
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
    });

    /** SIGKILL, down for longer than a lease, back on the same data and port. */
    async function crashAndRestart(): Promise<void> {
      await server.kill();
      await sleep(LEASE_MS + 1000);
      server = await startServer({ backend, port, env, dataDir: server.dataDir, databaseUrl: server.databaseUrl });
    }

    /** The tasks the tests ran, checked in the database at the end: [appId, taskId]. */
    const ran: [string, string][] = [];

    test("a GME recording: killed while recording, the recorder carries on and walks every stream to 14", async () => {
      const gme = gmeClient(server);
      const { BizId, bizId, worker, room } = await recordingApp(server);
      await room.speak("r1", "alice", "bob");
      const { TaskId } = await gme.StartRecord({ BizId, RoomId: "r1", RecordMode: 3 });
      const rec = run(gmeRecorderSimulator, server, worker, "recorder-1", true);
      try {
        await eventually(async () => {
          const s = statusesOf(await gme.DescribeRecordInfo({ TaskId, BizId }));
          return s["0"] === 2 && s.alice === 2 && s.bob === 2;
        }, "the streams to begin");
        await crashAndRestart();
        const after = gmeClient(server);
        await after.StopRecord({ TaskId, BizId });
        const outcome = await Promise.race([rec.outcome, sleep(30_000).then(() => "still running after 30 s")]);
        assert.equal(outcome, "returned", rec.lines.join("\n"));
        assert.deepEqual(statusesOf(await after.DescribeRecordInfo({ TaskId, BizId })), { "0": 14, alice: 14, bob: 14 });
        assert.ok(
          rec.lines.some((l) => l === `task ${TaskId} finished`),
          rec.lines.join("\n"),
        );
        assert.ok(!rec.lines.some((l) => /attempt [2-9]/.test(l)), rec.lines.join("\n"));
        ran.push([bizId, String(TaskId)]);
      } finally {
        await rec.stop();
      }
    });

    test("a TIW whiteboard push: killed while pushing, the pusher keeps its lease and confirms the user's stop", async () => {
      const tiw = tiwClient(server);
      const app = await tiwApp(server);
      const pusher = run(tiwPushSimulator, server, app.worker, "pusher-1", false);
      try {
        const user = pushUser();
        const { TaskId } = await tiw.StartWhiteboardPush({
          SdkAppId: app.appId,
          RoomId: 100,
          PushUserId: user,
          PushUserSig: validSig(app.appId, user),
        } as never);
        const taskId = TaskId!;
        const describe = (c = tiw) => c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
        const pushing = await eventually(async () => {
          const d = await describe();
          return d.Status === "PUSHING" ? d : null;
        }, "PUSHING");
        await crashAndRestart();
        const after = tiwClient(server);
        // Two leases after the restart it still pushes: the worker kept its lease.
        await sleep(2 * LEASE_MS);
        const still = await describe(after);
        assert.equal(still.Status, "PUSHING");
        assert.equal(still.ExceptionCnt, 0);
        await after.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
        const stopped = await eventually(async () => {
          const d = await describe(after);
          return d.Status === "STOPPED" ? d : null;
        }, "STOPPED");
        assert.equal(stopped.FinishReason, "USER_CALL");
        assert.equal(stopped.ExceptionCnt, 0);
        assert.equal(stopped.PushStartTime, pushing.PushStartTime);
        assert.ok(
          pusher.lines.some((l) => l === `${taskId}: stopped as asked`),
          pusher.lines.join("\n"),
        );
        assert.ok(!pusher.lines.some((l) => /attempt [2-9]/.test(l)), pusher.lines.join("\n"));
        ran.push([String(app.appId), taskId]);
      } finally {
        assert.equal(await pusher.stop(), "returned", pusher.lines.join("\n"));
      }
    });

    test("the database: each task claimed once and done", async () => {
      assert.equal(ran.length, 2, "both tasks ran");
      // PGlite: one process per data directory; read it while the server is stopped.
      if (backend === "pglite") await server.stop();
      const db = await openDb({ databaseUrl: server.databaseUrl, dataDir: server.dataDir });
      try {
        for (const [appId, taskId] of ran) {
          const rows = await db.query<{ state: string; attempts: number }>(
            "select state, attempts from agent_tasks where app_id = $1 and task_id = $2",
            [appId, taskId],
          );
          assert.deepEqual(rows.rows, [{ state: "done", attempts: 1 }], `task ${taskId}`);
        }
      } finally {
        await db.close();
      }
    });
  });
}
