// The push task's state machine, driven by simulated workers over the agent protocol and
// observed through the official SDK: user stop, auto stop on the development clock,
// exceptions, a worker killed mid-push and the task taken over, final failures, and a stop
// racing a finish.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { startServer, BIN, type TestServer } from "../support/server.ts";
import { describeBackendsSideBySide } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { ingest, pushUser, simulate, tiwApp, tiwClient, validSig, waitFor, worker, type TiwClient } from "./helpers.ts";

const LEASE_MS = 3000;

describeBackendsSideBySide("TIW push lifecycle", (backend) => {
  let server: TestServer;
  let c: TiwClient;
  before(async () => {
    server = await startServer({
      backend,
      env: { ROOMLEDGER_AGENT_LEASE_MS: String(LEASE_MS), ROOMLEDGER_AGENT_SWEEP_MS: "100", ROOMLEDGER_RATE_LIMIT: "0" },
    });
    c = tiwClient(server);
  });
  after(() => server.stop());

  const startValid = async (appId: number, extra: Record<string, unknown> = {}) => {
    const user = pushUser();
    const r = await c.StartWhiteboardPush({
      SdkAppId: appId,
      RoomId: 100,
      PushUserId: user,
      PushUserSig: validSig(appId, user),
      ...extra,
    } as never);
    return { taskId: r.TaskId!, user };
  };
  const describeTask = (appId: number, taskId: string) => c.DescribeWhiteboardPush({ SdkAppId: appId, TaskId: taskId });
  const until = (appId: number, taskId: string, what: string, ok: (d: Awaited<ReturnType<typeof describeTask>>) => boolean) =>
    waitFor(what, async () => {
      const d = await describeTask(appId, taskId);
      return ok(d) ? d : undefined;
    });

  test("user stop: PREPARED → PUSHING (first frame) → STOPPED USER_CALL once the worker confirms", async () => {
    const app = await tiwApp(server);
    const sim = simulate(server, app.worker, "sim-user-stop", { startDelayMs: 100 });
    try {
      const { taskId } = await startValid(app.appId);
      const pushing = await until(app.appId, taskId, "PUSHING", (d) => d.Status === "PUSHING");
      assert.ok(pushing.PushStartTime! > 0);
      assert.ok(pushing.IMSyncTime! > 0);
      assert.equal(pushing.FinishReason, "");
      await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
      const stopped = await until(app.appId, taskId, "STOPPED", (d) => d.Status === "STOPPED");
      assert.equal(stopped.FinishReason, "USER_CALL");
      assert.ok(stopped.PushStopTime! >= stopped.PushStartTime!);
      assert.equal(stopped.PushStartTime, pushing.PushStartTime);
      assert.equal(stopped.ExceptionCnt, 0);
      assert.ok(sim.lines.some((l) => l.includes(`${taskId}: stopped as asked`)));
    } finally {
      await sim.stop();
    }
  });

  test("auto stop: AutoStopTimeout after the last whiteboard operation or other users' audio/video upstream", async () => {
    const app = await tiwApp(server);
    // A simulated worker runs one push at a time: one each.
    const sims = ["sim-auto-1", "sim-auto-2", "sim-auto-3"].map((id) => simulate(server, app.worker, id));
    try {
      const a = await startValid(app.appId, { RoomId: 100, AutoStopTimeout: 300 });
      const b = await startValid(app.appId, { RoomId: 200, AutoStopTimeout: 300, TRTCRoomIdStr: "trtc-200" });
      const idle = await startValid(app.appId, { RoomId: 300, AutoStopTimeout: 300 });
      for (const t of [a, b, idle]) await until(app.appId, t.taskId, "PUSHING", (d) => d.Status === "PUSHING");
      await server.advance(200);
      let r = await ingest(server, app.key, [
        { id: "wb-1", type: "tiw.whiteboard.activity", ctime: Date.now(), data: { roomId: 100, userId: "teacher" } },
        { id: "av-1", type: "tiw.av.upstream", ctime: Date.now(), data: { trtcRoomId: "trtc-200", userId: "student" } },
      ]);
      assert.equal(r.status, 200);
      await server.advance(101); // 301 s after the start: the room without activity stops
      const stoppedIdle = await until(app.appId, idle.taskId, "idle task AUTO", (d) => d.Status === "STOPPED");
      assert.equal(stoppedIdle.FinishReason, "AUTO");
      for (const t of [a, b]) assert.equal((await describeTask(app.appId, t.taskId)).Status, "PUSHING");
      // The push's own upstream is the push itself: it keeps nothing alive.
      r = await ingest(server, app.key, [
        { id: "av-2", type: "tiw.av.upstream", ctime: Date.now(), data: { trtcRoomId: "trtc-200", userId: b.user } },
      ]);
      assert.equal(r.status, 200);
      await server.advance(150); // 451 s: 251 s after the activity
      for (const t of [a, b]) assert.equal((await describeTask(app.appId, t.taskId)).Status, "PUSHING");
      await server.advance(50); // 501 s: 301 s after the activity
      for (const t of [a, b]) {
        const d = await until(app.appId, t.taskId, "AUTO", (x) => x.Status === "STOPPED");
        assert.equal(d.FinishReason, "AUTO");
        assert.ok(d.PushStopTime! - d.PushStartTime! >= 500);
      }
      // Stopping an auto-stopped task is stopping a stopped task.
      assert.equal(
        (await sdkError(c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: a.taskId }))).code,
        "UnsupportedOperation.TaskHasAlreadyStopped",
      );
    } finally {
      await Promise.all(sims.map((s) => s.stop()));
    }
  });

  test("auto stop of a task no worker ever took: STOPPED at once", async () => {
    const app = await tiwApp(server);
    const { taskId } = await startValid(app.appId, { AutoStopTimeout: 300 });
    await server.advance(301);
    const d = await until(app.appId, taskId, "AUTO", (x) => x.Status === "STOPPED");
    assert.equal(d.FinishReason, "AUTO");
    assert.equal(d.PushStartTime, 0);
  });

  test("exceptions during the push are counted; the push goes on", async () => {
    const app = await tiwApp(server);
    const sim = simulate(server, app.worker, "sim-flaky", { failureRate: 1 });
    try {
      const { taskId } = await startValid(app.appId);
      const d = await until(app.appId, taskId, "2 exceptions", (x) => x.Status === "PUSHING" && x.ExceptionCnt! >= 2);
      assert.equal(d.FinishReason, "");
      await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
      const stopped = await until(app.appId, taskId, "STOPPED", (x) => x.Status === "STOPPED");
      assert.equal(stopped.FinishReason, "USER_CALL");
      assert.ok(stopped.ExceptionCnt! >= 2);
    } finally {
      await sim.stop();
    }
  });

  test("a worker killed mid-push: its lease runs out, the exception is counted, another worker takes the task over", async () => {
    const app = await tiwApp(server);
    const { taskId } = await startValid(app.appId);
    // The first worker is the CLI's simulated worker, in a process of its own.
    const proc = spawn(
      process.execPath,
      [
        BIN,
        "worker",
        "simulate",
        "--kind",
        "tiw-push",
        "--url",
        server.url,
        "--credential",
        app.worker,
        "--worker-id",
        "doomed",
        "--start-delay",
        "0",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    proc.stdout!.on("data", (d) => (out += d));
    proc.stderr!.on("data", (d) => (out += d));
    const exited = new Promise((r) => proc.once("exit", r));
    try {
      const pushing = await until(app.appId, taskId, "PUSHING by the doomed worker", (d) => d.Status === "PUSHING");
      assert.match(out, /\[simulated tiw-push worker\] claimed/);
      proc.kill("SIGKILL");
      await exited;
      const sim = simulate(server, app.worker, "rescuer");
      try {
        await waitFor("the rescuer's claim", async () =>
          sim.lines.some((l) => l.includes(`claimed ${taskId} (attempt 2)`)) ? true : undefined,
        );
        const d = await until(app.appId, taskId, "exception counted", (x) => x.ExceptionCnt! >= 1);
        assert.equal(d.Status, "PUSHING");
        assert.equal(d.PushStartTime, pushing.PushStartTime); // the first frame stays the first
        // Only the worker holding the task can confirm the stop: the rescuer does.
        await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
        const stopped = await until(app.appId, taskId, "STOPPED", (x) => x.Status === "STOPPED");
        assert.equal(stopped.FinishReason, "USER_CALL");
        assert.ok(sim.lines.some((l) => l.includes(`${taskId}: stopped as asked`)));
      } finally {
        await sim.stop();
      }
    } finally {
      proc.kill("SIGKILL");
    }
  });

  test("final failure: every worker vanishes before the first frame → FailedOperation.WhiteboardPush", async () => {
    const app = await tiwApp(server);
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxAttempts: 2 });
    const { taskId } = await startValid(app.appId);
    for (const id of ["ghost-1", "ghost-2"]) {
      const w = worker(server, app.worker, id);
      const claimed = await waitFor(`${id} claims`, async () => (await w.claim("tiw-push")).task ?? undefined);
      assert.equal(claimed.taskId, taskId);
      // ... and never heartbeats.
    }
    const err = await waitFor("final failure", async () => {
      const e = await sdkError(describeTask(app.appId, taskId)).catch(() => undefined);
      return e?.code === "FailedOperation.WhiteboardPush" ? e : undefined;
    });
    assert.match(
      err.message,
      /^code: 50001, msg: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, roomledger: the push worker stopped heartbeating \(attempt 2 of 2\)\n$/,
    );
    assert.equal((await worker(server, app.worker, "late").claim("tiw-push")).task, null);
  });

  test("final failure after the first frame: STOPPED, EXCEPTION, each lost worker counted", async () => {
    const app = await tiwApp(server);
    await server.admin("POST", `/tiw/apps/${app.appId}/push-settings`, { maxAttempts: 2 });
    const { taskId } = await startValid(app.appId);
    for (const id of ["vanish-1", "vanish-2"]) {
      const w = worker(server, app.worker, id);
      const claimed = await waitFor(`${id} claims`, async () => (await w.claim("tiw-push")).task ?? undefined);
      assert.equal(claimed.taskId, taskId);
      await w.report(taskId, [{ type: "started", data: { imSyncTime: 7 } }]);
    }
    const d = await until(app.appId, taskId, "EXCEPTION", (x) => x.Status === "STOPPED");
    assert.equal(d.FinishReason, "EXCEPTION");
    assert.equal(d.ExceptionCnt, 2);
    assert.equal(d.IMSyncTime, 7);
  });

  test("the simulated worker fails a push whose UserSig TRTC would refuse, as the seed shows", async () => {
    const app = await tiwApp(server);
    const sim = simulate(server, app.worker, "sim-sig");
    try {
      const r = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 5, PushUserId: pushUser(), PushUserSig: "not-a-usersig" });
      const err = await waitFor("failure", async () => {
        const e = await sdkError(describeTask(app.appId, r.TaskId!)).catch(() => undefined);
        return e?.code === "FailedOperation.WhiteboardPush" ? e : undefined;
      });
      assert.match(
        err.message,
        /^code: 40006, msg: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, TRTC onError, code: -70003, msg: The UserSig in use is illegal\. Please regenerate UserSig through official API\. \(FYI: https:\/\/cloud\.tencent\.com\/document\/product\/269\/32688 \)\n$/,
      );
    } finally {
      await sim.stop();
    }
  });

  test("a stop racing a finish leaves one answer per task", async () => {
    const app = await tiwApp(server);
    const n = 12;
    const tasks = await Promise.all(Array.from({ length: n }, () => startValid(app.appId)));
    const w = worker(server, app.worker, "racer");
    // Keep the leases while the test runs (they are short here).
    const held = new Set<string>();
    const keepalive = setInterval(() => {
      for (const id of held) w.heartbeat(id).catch(() => held.delete(id));
    }, LEASE_MS / 4);
    for (let i = 0; i < n; i++) {
      const t = (await w.claim("tiw-push")).task!;
      held.add(t.taskId);
      await w.report(t.taskId, [{ type: "started" }]);
    }
    const results = await Promise.all(
      tasks.map(async ({ taskId }) => {
        const [stop, fail] = await Promise.allSettled([
          c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId }),
          w.report(taskId, [{ type: "failed", data: { code: 1, message: "encoder crashed" } }]),
        ]);
        return { taskId, stop, fail };
      }),
    );
    for (const { taskId, stop, fail } of results) {
      const d = await describeTask(app.appId, taskId);
      assert.equal(d.Status, "STOPPED", taskId);
      // The worker held the lease either way, so its failure ends the task; the stop either
      // came first (accepted, then overtaken) or found it stopped.
      assert.equal(fail.status, "fulfilled");
      assert.equal(d.FinishReason, "EXCEPTION");
      if (stop.status === "rejected") assert.equal((stop.reason as { code: string }).code, "UnsupportedOperation.TaskHasAlreadyStopped");
      assert.equal((await w.heartbeat(taskId).catch((e) => e)).status, 409);
    }
    // And a stop racing the worker's confirmation of an earlier stop: one STOPPED, USER_CALL.
    const { taskId } = await startValid(app.appId);
    const t = (await w.claim("tiw-push")).task!;
    assert.equal(t.taskId, taskId);
    held.add(taskId);
    await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
    const [confirm, second] = await Promise.allSettled([
      w.report(taskId, [{ type: "stopped" }]),
      c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId }),
    ]);
    assert.equal(confirm.status, "fulfilled");
    assert.equal(second.status, "rejected");
    assert.equal((await describeTask(app.appId, taskId)).FinishReason, "USER_CALL");
    clearInterval(keepalive);
  });
});
