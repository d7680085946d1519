// The worker agent protocol (/agent/v1), black box over HTTP and through the typed
// AgentClient, with the "tiw-push" kind as the task kind: authentication, exclusive claims,
// leases that run out and are taken over, heartbeats (one and many), reports applied all or
// nothing, and malformed input answered with 4xx, never a 500.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { describeBackendsSideBySide } from "../support/postgres.ts";
import { AgentProtocolError } from "../../src/agent/client.ts";
import { pushUser, tiwApp, tiwClient, waitFor, worker, type TiwClient } from "../tiw/helpers.ts";

const LEASE_MS = 3000;

describeBackendsSideBySide("agent protocol", (backend) => {
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

  const post = (path: string, body: unknown, key?: string, raw?: string) =>
    fetch(`${server.url}/agent/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: raw ?? JSON.stringify(body),
    });
  const startTask = async (appId: number) =>
    (await c.StartWhiteboardPush({ SdkAppId: appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" })).TaskId!;

  test("authentication: a worker credential is required, for the kind; the app's ingest key is refused", async () => {
    let res = await post("/claim", { kind: "tiw-push", workerId: "w" });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "Unauthorized");
    res = await post("/claim", { kind: "tiw-push", workerId: "w" }, "rlwk_unknown");
    assert.equal(res.status, 401);
    const app = await tiwApp(server);
    res = await post("/claim", { kind: "tiw-push", workerId: "w" }, app.key);
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /an ingest key does not authenticate workers/);
    res = await post("/claim", { kind: "no-such-kind", workerId: "w" }, app.worker);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "UnknownKind");
    // A credential for tiw-record only does not claim pushes (403: known, not allowed).
    const recorderOnly = await server.workerCredential(String(app.appId), ["tiw-record"]);
    res = await post("/claim", { kind: "tiw-push", workerId: "w" }, recorderOnly);
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "Forbidden");
    // Kinds are checked against the app's products when the credential is made.
    const lcic = await server.createApp(["lcic"]);
    await assert.rejects(server.workerCredential(lcic, ["tiw-push"]), /400.*does not have product 'tiw'/);
  });

  test("claim: nothing waiting is a null task; the oldest waiting task first", async () => {
    const app = await tiwApp(server);
    const w = worker(server, app.worker, "w-empty");
    assert.deepEqual(await w.claim("tiw-push"), { task: null, leaseMs: LEASE_MS });
    const first = await startTask(app.appId);
    const second = await startTask(app.appId);
    const a = await w.claim("tiw-push");
    assert.equal(a.task?.taskId, first);
    assert.equal(a.task?.attempt, 1);
    assert.equal(a.task?.stop, false);
    assert.equal((await w.claim("tiw-push")).task?.taskId, second);
  });

  test("two workers never hold one task: concurrent claims hand each task out once", async () => {
    const app = await tiwApp(server);
    const ids = new Set<string>();
    for (let i = 0; i < 8; i++) ids.add(await startTask(app.appId));
    const claims = await Promise.all(Array.from({ length: 24 }, (_, i) => worker(server, app.worker, `racer-${i}`).claim("tiw-push")));
    const got = claims.flatMap((r) => (r.task ? [r.task.taskId] : []));
    assert.equal(got.length, 8);
    assert.deepEqual(new Set(got), ids);
  });

  test("heartbeats: the holder keeps its lease; anyone else is told it lost it (409)", async () => {
    const app = await tiwApp(server);
    const taskId = await startTask(app.appId);
    const holder = worker(server, app.worker, "holder");
    const other = worker(server, app.worker, "other");
    await holder.claim("tiw-push");
    assert.deepEqual(await holder.heartbeat(taskId), { stop: false, leaseMs: LEASE_MS });
    // `other` never claimed it: it has no lease token to send.
    const err = await other.heartbeat(taskId).catch((e) => e);
    assert.ok(err instanceof AgentProtocolError);
    assert.equal(err.status, 409);
    assert.equal(err.code, "LeaseLost");
    assert.match(err.message, /no lease token/);
    assert.equal((await other.report(taskId, [{ type: "started" }]).catch((e) => e)).status, 409);
    assert.deepEqual((await other.heartbeatMany([taskId])).lost, [taskId]);
    // Many at once: held ones answered, the others listed as lost.
    const many = await holder.heartbeatMany([taskId, "ghucnligqtgtvk2624mb"]);
    assert.deepEqual(many, { tasks: [{ taskId, stop: false }], lost: ["ghucnligqtgtvk2624mb"], leaseMs: LEASE_MS });
    // The stop reaches the worker through both.
    await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
    assert.equal((await holder.heartbeat(taskId)).stop, true);
    assert.deepEqual((await holder.heartbeatMany([taskId])).tasks, [{ taskId, stop: true }]);
  });

  test("a lease that runs out: the task goes back to the queue and another worker takes it over", async () => {
    const app = await tiwApp(server);
    const taskId = await startTask(app.appId);
    const first = worker(server, app.worker, "first");
    assert.equal((await first.claim("tiw-push")).task?.taskId, taskId);
    const second = worker(server, app.worker, "second");
    const taken = await waitFor("the takeover", async () => (await second.claim("tiw-push")).task ?? undefined);
    assert.equal(taken.taskId, taskId);
    assert.equal(taken.attempt, 2);
    assert.equal((await first.heartbeat(taskId).catch((e) => e)).status, 409);
    assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId })).ExceptionCnt, 1);
  });

  test("reports are validated whole and applied all or nothing, in order", async () => {
    const app = await tiwApp(server);
    const taskId = await startTask(app.appId);
    const w = worker(server, app.worker, "reporter");
    await w.claim("tiw-push");
    const res = await post(
      `/tasks/${taskId}/reports`,
      {
        workerId: "reporter",
        leaseToken: w.leaseToken(taskId),
        reports: [
          { type: "started", data: { imSyncTime: 5 } },
          { type: "exploded", data: {} },
          { type: "exception", data: { code: 1 } },
          { type: "started", data: { imSyncTime: -1 } },
        ],
      },
      app.worker,
    );
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; events: { index: number; reason: string }[] } };
    assert.equal(body.error.code, "InvalidBatch");
    assert.deepEqual(
      body.error.events.map((e) => e.index),
      [1, 2, 3],
    );
    assert.match(body.error.events[0]!.reason, /unknown report type 'exploded'/);
    let d = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
    assert.equal(d.Status, "PREPARED"); // nothing of the batch applied
    assert.deepEqual(
      await w.report(taskId, [
        { type: "started", data: { imSyncTime: 5 } },
        { type: "exception", data: { code: 1, message: "x" } },
      ]),
      {
        applied: 2,
        stop: false,
      },
    );
    d = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId });
    assert.equal(d.Status, "PUSHING");
    assert.equal(d.ExceptionCnt, 1);
    // `stopped` confirms a stop that was asked for; unasked, it is refused (and nothing changes).
    const unasked = await w.report(taskId, [{ type: "stopped" }]).catch((e) => e);
    assert.equal(unasked.status, 409);
    assert.equal(unasked.code, "StopNotRequested");
    assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: taskId })).Status, "PUSHING");
  });

  test("the OpenAPI page documents the agent protocol", async () => {
    const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, { post?: { description?: string } }> };
    for (const p of ["/agent/v1/claim", "/agent/v1/tasks/{taskId}/heartbeat", "/agent/v1/heartbeats", "/agent/v1/tasks/{taskId}/reports"]) {
      assert.ok(doc.paths[p], p);
    }
    // The kinds' report types are listed with their data schemas.
    const reports = doc.paths["/agent/v1/tasks/{taskId}/reports"]!.post!.description!;
    for (const type of ["started", "exception", "stopped", "failed"]) assert.match(reports, new RegExp(`\`tiw-push\` \\*\\*${type}\\*\\*`));
  });

  test("property: any body on any endpoint gets a 4xx or 200, never a 500, and the server keeps serving", async () => {
    const app = await tiwApp(server);
    const taskId = await startTask(app.appId);
    const fuzzer = worker(server, app.worker, "fuzz");
    await fuzzer.claim("tiw-push");
    const json = fc.jsonValue({ maxDepth: 3 });
    const leaseToken = fc.oneof(fc.constant(fuzzer.leaseToken(taskId)!), fc.string(), json);
    const report = fc.record(
      {
        type: fc.oneof(fc.constantFrom("started", "exception", "failed", "stopped"), fc.string()),
        time: fc.oneof(fc.integer(), fc.string(), json),
        data: json,
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      json,
      fc.record(
        { workerId: fc.oneof(fc.constant("fuzz"), fc.string(), json), kind: fc.oneof(fc.constant("tiw-push"), fc.string()) },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          workerId: fc.oneof(fc.constant("fuzz"), fc.string()),
          leaseToken,
          reports: fc.oneof(fc.array(report, { maxLength: 4 }), json),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          workerId: fc.constant("fuzz"),
          tasks: fc.oneof(
            fc.array(fc.record({ taskId: fc.oneof(fc.constant(taskId), fc.string()), leaseToken }, { requiredKeys: [] }), {
              maxLength: 4,
            }),
            json,
          ),
        },
        { requiredKeys: [] },
      ),
    );
    const path = fc.constantFrom("/claim", `/tasks/${taskId}/heartbeat`, `/tasks/${taskId}/reports`, "/heartbeats", "/tasks/%ZZ/heartbeat");
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.oneof(
          body.map((b) => ({ raw: JSON.stringify(b) })),
          fc.string().map((raw) => ({ raw })),
        ),
        async (p, { raw }) => {
          const res = await post(p, undefined, app.worker, raw ?? "null");
          assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${p} ${raw} → ${res.status}`);
          const parsed = (await res.json()) as Record<string, unknown>;
          // (A URL Fastify cannot decode is refused by Fastify itself, before the agent routes,
          // with its own 400 body.)
          if (res.status >= 400 && !p.includes("%ZZ")) assert.equal(typeof (parsed.error as { code?: unknown }).code, "string");
        },
      ),
      { numRuns: 150 },
    );
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  });
});
