// The batched report endpoint of the agent protocol (POST /agent/v1/reports), with the
// "tiw-push" kind, which has no batch hook (each report goes through its onReport): one
// transaction over several tasks, all or nothing — 409 when any lease is not held, 400
// naming tasks[i].reports[j] — the stop flags, and malformed bodies never a 500.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { AgentProtocolError } from "../../src/agent/client.ts";
import { pushUser, tiwApp, tiwClient, worker, type TiwClient } from "../tiw/helpers.ts";

for (const backend of backends()) {
  describe(`agent protocol, batched reports (${backend})`, () => {
    let server: TestServer;
    let c: TiwClient;
    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_AGENT_LEASE_MS: "600000", ROOMLEDGER_RATE_LIMIT: "0" } });
      c = tiwClient(server);
    });
    after(() => server.stop());

    const post = (body: unknown, key: string, raw?: string) =>
      fetch(`${server.url}/agent/v1/reports`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: raw ?? JSON.stringify(body),
      });
    const startTask = async (appId: number) =>
      (await c.StartWhiteboardPush({ SdkAppId: appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" })).TaskId!;
    const status = async (appId: number, taskId: string) => (await c.DescribeWhiteboardPush({ SdkAppId: appId, TaskId: taskId })).Status;

    test("several tasks in one request: applied, and `stop` lists those asked to stop", async () => {
      const app = await tiwApp(server);
      const t1 = await startTask(app.appId);
      const t2 = await startTask(app.appId);
      const w = worker(server, app.worker, "batcher");
      await w.claim("tiw-push");
      await w.claim("tiw-push");
      await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: t2 });
      const answer = await w.reportMany([
        {
          taskId: t1,
          reports: [
            { type: "started", data: { imSyncTime: 5 } },
            { type: "exception", data: { code: 1, message: "x" } },
          ],
        },
        { taskId: t2, reports: [{ type: "started", data: { imSyncTime: 6 } }] },
      ]);
      assert.deepEqual(answer, { applied: 3, stop: [t2] });
      assert.equal(await status(app.appId, t1), "PUSHING");
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: t1 })).ExceptionCnt, 1);
    });

    test("409 when any named lease is not held: nothing of the batch is applied", async () => {
      const app = await tiwApp(server);
      const mine = await startTask(app.appId);
      const theirs = await startTask(app.appId);
      const w = worker(server, app.worker, "mine");
      await w.claim("tiw-push");
      await worker(server, app.worker, "theirs").claim("tiw-push");
      const err = await w
        .reportMany([
          { taskId: mine, reports: [{ type: "started", data: { imSyncTime: 5 } }] },
          { taskId: theirs, reports: [{ type: "started", data: { imSyncTime: 5 } }] },
        ])
        .catch((e) => e);
      assert.ok(err instanceof AgentProtocolError);
      assert.equal(err.status, 409);
      assert.equal(err.code, "LeaseLost");
      assert.match(err.message, new RegExp(theirs));
      assert.equal(await status(app.appId, mine), "PREPARED");
      // An unknown task is not held either.
      const unknown = await w
        .reportMany([{ taskId: "no-such-task", reports: [{ type: "started", data: { imSyncTime: 1 } }] }])
        .catch((e) => e);
      assert.equal(unknown.status, 409);
    });

    test("400 InvalidBatch naming tasks[i].reports[j]; a task named twice is refused; nothing applied", async () => {
      const app = await tiwApp(server);
      const t1 = await startTask(app.appId);
      const t2 = await startTask(app.appId);
      const w = worker(server, app.worker, "validator");
      await w.claim("tiw-push");
      await w.claim("tiw-push");
      const res = await post(
        {
          workerId: "validator",
          tasks: [
            { taskId: t1, leaseToken: w.leaseToken(t1), reports: [{ type: "started", data: { imSyncTime: 5 } }] },
            {
              taskId: t2,
              leaseToken: w.leaseToken(t2),
              reports: [
                { type: "started", data: { imSyncTime: 5 } },
                { type: "exploded", data: {} },
                { type: "started", data: { imSyncTime: -1 } },
              ],
            },
          ],
        },
        app.worker,
      );
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: { code: string; message: string; events: { at: string; reason: string }[] } };
      assert.equal(body.error.code, "InvalidBatch");
      assert.deepEqual(
        body.error.events.map((e) => e.at),
        ["tasks[1].reports[1]", "tasks[1].reports[2]"],
      );
      assert.match(body.error.message, /^tasks\[1\]\.reports\[1\]: unknown report type 'exploded'/);
      assert.equal(await status(app.appId, t1), "PREPARED");
      assert.equal(await status(app.appId, t2), "PREPARED");
      const twice = await post(
        {
          workerId: "validator",
          tasks: [t1, t2, t1].map((taskId) => ({
            taskId,
            leaseToken: w.leaseToken(taskId),
            reports: [{ type: "started", data: { imSyncTime: 5 } }],
          })),
        },
        app.worker,
      );
      assert.equal(twice.status, 400);
      assert.match(
        ((await twice.json()) as { error: { message: string } }).error.message,
        /^tasks\[2\]\.taskId: task '.*' is already tasks\[0\]/,
      );
      assert.equal(await status(app.appId, t1), "PREPARED");
    });

    test("the OpenAPI page documents the batched endpoint and the report types", async () => {
      const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as { paths: Record<string, { post?: { description?: string } }> };
      const description = doc.paths["/agent/v1/reports"]?.post?.description ?? "";
      assert.match(description, /tasks\[i\]\.reports\[j\]/);
      assert.match(description, /`tiw-push` \*\*started\*\*/);
    });

    test("property: any body gets 200 or a 4xx with an error code, never a 500", async () => {
      const app = await tiwApp(server);
      const taskId = await startTask(app.appId);
      const fuzzer = worker(server, app.worker, "fuzz");
      await fuzzer.claim("tiw-push");
      const json = fc.jsonValue({ maxDepth: 3 });
      const report = fc.record(
        {
          type: fc.oneof(fc.constantFrom("started", "exception", "failed", "stopped"), fc.string()),
          time: fc.oneof(fc.integer(), json),
          data: json,
        },
        { requiredKeys: [] },
      );
      const task = fc.record(
        {
          taskId: fc.oneof(fc.constant(taskId), fc.string(), json),
          leaseToken: fc.oneof(fc.constant(fuzzer.leaseToken(taskId)!), fc.string(), json),
          reports: fc.oneof(fc.array(report, { maxLength: 3 }), json),
        },
        { requiredKeys: [] },
      );
      const body = fc.oneof(
        json,
        fc.record(
          { workerId: fc.oneof(fc.constant("fuzz"), fc.string()), tasks: fc.oneof(fc.array(task, { maxLength: 3 }), json) },
          { requiredKeys: [] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            body.map((b) => JSON.stringify(b)),
            fc.string(),
          ),
          async (raw) => {
            const res = await post(undefined, app.worker, raw);
            assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${raw} → ${res.status}`);
            if (res.status >= 400) assert.equal(typeof ((await res.json()) as { error: { code?: unknown } }).error.code, "string");
          },
        ),
        { numRuns: 150 },
      );
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    });
  });
}
