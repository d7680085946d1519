// Worker credentials and lease tokens (issue 16 item 4), black box over HTTP. The holes they
// close, as found: the app's ingest key (which every client app carries) claimed a whiteboard
// push and received its PushUserSig, and any holder of it reported for another worker's task
// by sending that worker's id. Each refusal's status is the one src/agent/worker-auth.ts gives reasons
// for: 401 no or bad credential (an ingest key included), 403 a kind the credential is not
// for, 409 LeaseLost a lease token missing or not the task's current one.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { pushUser, tiwClient, type TiwClient } from "../tiw/helpers.ts";

const SECRET_SIG = "the-push-users-secret-usersig";

/** Every UTF-8 byte percent-encoded (encodeURIComponent throws on a lone surrogate; here it becomes U+FFFD). */
const percentEncoded = (s: string): string => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");

for (const backend of backends()) {
  describe(`worker credentials and lease tokens (${backend})`, () => {
    let server: TestServer;
    let c: TiwClient;
    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_AGENT_LEASE_MS: "600000", ROOMLEDGER_RATE_LIMIT: "0" } });
      c = tiwClient(server);
    });
    after(() => server.stop());

    const post = async (path: string, body: unknown, bearer?: string) => {
      const res = await fetch(`${server.url}/agent/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, text, body: JSON.parse(text) as any };
    };
    const push = async (appId: string) =>
      (await c.StartWhiteboardPush({ SdkAppId: Number(appId), RoomId: 7, PushUserId: pushUser(), PushUserSig: SECRET_SIG })).TaskId!;

    test("the app's ingest key claims nothing: 401, and the PushUserSig stays on the server", async () => {
      const appId = await server.createApp(["tiw"]);
      const ingestKey = await server.ingestKey(appId);
      const taskId = await push(appId);
      const stolen = await post("/claim", { kind: "tiw-push", workerId: "client-app" }, ingestKey);
      assert.equal(stolen.status, 401, stolen.text);
      assert.equal(stolen.body.error.code, "Unauthorized");
      assert.ok(!stolen.text.includes(SECRET_SIG), stolen.text);
      // Nor heartbeats or reports: every route of /agent/v1 refuses it before anything else.
      for (const [path, body] of [
        [`/tasks/${taskId}/heartbeat`, { workerId: "w" }],
        ["/heartbeats", { workerId: "w", tasks: [{ taskId }] }],
        [`/tasks/${taskId}/reports`, { workerId: "w", reports: [{ type: "started", data: { imSyncTime: 1 } }] }],
        ["/reports", { workerId: "w", tasks: [{ taskId, reports: [{ type: "started", data: { imSyncTime: 1 } }] }] }],
      ] as const) {
        assert.equal((await post(path, body, ingestKey)).status, 401, path);
      }
      // A worker credential for tiw-push claims it, and only then is the signature handed over.
      const credential = await server.workerCredential(appId, ["tiw-push"]);
      const claimed = await post("/claim", { kind: "tiw-push", workerId: "pusher" }, credential);
      assert.equal(claimed.status, 200, claimed.text);
      assert.equal(claimed.body.task.taskId, taskId);
      assert.equal(claimed.body.task.spec.PushUserSig, SECRET_SIG, claimed.text);
      assert.match(claimed.body.task.leaseToken, /^rlls_[A-Za-z0-9_-]{32}$/);
    });

    test("one worker cannot act for another's task: no token, another lease's token, another credential: 409", async () => {
      const appId = await server.createApp(["tiw"]);
      const mine = await server.workerCredential(appId, ["tiw-push"]);
      const theirs = await server.workerCredential(appId, ["tiw-push"]);
      const taskA = await push(appId);
      const taskB = await push(appId);
      const a = await post("/claim", { kind: "tiw-push", workerId: "A" }, mine);
      const b = await post("/claim", { kind: "tiw-push", workerId: "B" }, theirs);
      assert.deepEqual([a.body.task.taskId, b.body.task.taskId], [taskA, taskB]);
      const tokenA: string = a.body.task.leaseToken;
      const tokenB: string = b.body.task.leaseToken;
      const started = [{ type: "started", data: { imSyncTime: 5 } }];

      // B, sending A's worker id as the protocol once allowed, without or with the wrong proof.
      const noToken = await post(`/tasks/${taskA}/reports`, { workerId: "A", reports: started }, theirs);
      assert.equal(noToken.status, 409, noToken.text);
      assert.match(noToken.body.error.message, /no lease token/);
      const ownToken = await post(`/tasks/${taskA}/reports`, { workerId: "A", leaseToken: tokenB, reports: started }, theirs);
      assert.equal(ownToken.status, 409, ownToken.text);
      assert.equal(ownToken.body.error.code, "LeaseLost");
      // Even A's token does not help through B's credential (a leaked token alone is not enough).
      const leaked = await post(`/tasks/${taskA}/reports`, { workerId: "A", leaseToken: tokenA, reports: started }, theirs);
      assert.equal(leaked.status, 409, leaked.text);
      assert.equal((await post(`/tasks/${taskA}/heartbeat`, { workerId: "A", leaseToken: tokenA }, theirs)).status, 409);
      assert.equal((await post(`/tasks/${taskA}/heartbeat`, { workerId: "A" }, theirs)).status, 409);
      const many = await post("/heartbeats", { workerId: "A", tasks: [{ taskId: taskA, leaseToken: tokenB }] }, theirs);
      assert.deepEqual(many.body.lost, [taskA]);
      const batch = await post("/reports", { workerId: "A", tasks: [{ taskId: taskA, leaseToken: tokenA, reports: started }] }, theirs);
      assert.equal(batch.status, 409, batch.text);
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: Number(appId), TaskId: taskA })).Status, "PREPARED");

      // A itself: its own token for its own task; B's token for A's task is another lease's.
      assert.equal((await post(`/tasks/${taskA}/heartbeat`, { workerId: "A", leaseToken: tokenB }, mine)).status, 409);
      assert.equal((await post(`/tasks/${taskA}/heartbeat`, { workerId: "A", leaseToken: tokenA }, mine)).status, 200);
      const ok = await post(`/tasks/${taskA}/reports`, { workerId: "A", leaseToken: tokenA, reports: started }, mine);
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: Number(appId), TaskId: taskA })).Status, "PUSHING");
      const both = await post(
        "/heartbeats",
        {
          workerId: "A",
          tasks: [
            { taskId: taskA, leaseToken: tokenA },
            { taskId: taskB, leaseToken: tokenB },
          ],
        },
        mine,
      );
      assert.deepEqual([both.body.tasks, both.body.lost], [[{ taskId: taskA, stop: false }], [taskB]]);
    });

    test("a credential is for its app and kinds: 403 for another kind; the admin API checks kinds and lists them", async () => {
      const appId = await server.createApp(["tiw"]);
      const recorderOnly = await server.workerCredential(appId, ["tiw-record"]);
      const refused = await post("/claim", { kind: "tiw-push", workerId: "w" }, recorderOnly);
      assert.equal(refused.status, 403, refused.text);
      assert.match(refused.body.error.message, /for tiw-record, not for kind 'tiw-push'/);
      // Another app's credential sees none of this app's tasks.
      const other = await server.createApp(["tiw"]);
      await push(appId);
      const foreign = await post("/claim", { kind: "tiw-push", workerId: "w" }, await server.workerCredential(other, ["tiw-push"]));
      assert.deepEqual(foreign.body, { task: null, leaseMs: 600000 });
      await assert.rejects(server.workerCredential(appId, ["gme-record"]), /400 .*does not have product 'gme'/);
      await assert.rejects(server.workerCredential(appId, ["no-such-kind"]), /400 .*unknown task kind/);
      const listed = await server.admin<{ credentials: { credentialId: string; kinds: string[]; prefix: string; revokedAt: null }[] }>(
        "GET",
        `/worker-credentials?appId=${appId}`,
      );
      assert.deepEqual(
        listed.credentials.map((x) => x.kinds),
        [["tiw-record"]],
      );
      assert.match(listed.credentials[0]!.prefix, /^rlwk_.{7}$/);
      assert.ok(!JSON.stringify(listed).includes(recorderOnly), "the secret is shown once, at creation");
    });

    test("property: any body on the credential admin routes gets 200 or a 4xx in the native envelope, never a 5xx", async () => {
      const appId = await server.createApp(["tiw"]);
      const hostile = fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x".repeat(300), "", "rlwk_x", appId);
      const text = fc.oneof(fc.string({ maxLength: 20 }), hostile);
      const json = fc.jsonValue({ maxDepth: 2 });
      const routes = [
        "/worker-credentials",
        "/worker-credentials/revoke",
        "/keys/revoke",
        "/ingest-keys/revoke",
        "/admin-tokens",
        "/admin-tokens/revoke",
        "/rtc/tokens/revoke",
      ];
      const body = fc.oneof(
        json,
        fc.record(
          {
            appId: fc.oneof(text, json),
            kinds: fc.oneof(fc.array(fc.oneof(fc.constantFrom("tiw-push", "gme-record"), text), { maxLength: 3 }), json),
            label: text,
            credentialId: text,
            secretId: text,
            key: text,
            prefix: text,
            token: text, // never the pinned admin token: new ones are made here, so it would not be the last
          },
          { requiredKeys: [] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), body, text, async (route, b, q) => {
          const post = await fetch(`${server.adminUrl}/admin/v1${route}`, {
            method: "POST",
            headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, "content-type": "application/json" },
            body: JSON.stringify(b),
          });
          const get = await fetch(`${server.adminUrl}/admin/v1/worker-credentials?appId=${percentEncoded(q)}`, {
            headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
          });
          for (const res of [post, get]) {
            const answer = (await res.json()) as { error?: { code?: unknown } };
            assert.ok(res.status < 500, `${route} ${JSON.stringify(b)} → ${res.status} ${JSON.stringify(answer)}`);
            if (res.status >= 400) assert.equal(typeof answer.error?.code, "string", JSON.stringify(answer));
          }
        }),
        { numRuns: 120 },
      );
      // The server answers as before.
      assert.equal(
        (await fetch(`${server.adminUrl}/admin/v1/accounts`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).status,
        200,
      );
    });

    test("recorder views take a worker credential of their kind (or the ingest key, as before)", async () => {
      const appId = await server.createApp(["lcic"]);
      const url = `${server.url}/lcic/v1/record-tasks/00000000-0000-0000-0000-000000000000`;
      const view = async (bearer: string) => (await fetch(url, { headers: { authorization: `Bearer ${bearer}` } })).status;
      assert.equal(await view(await server.workerCredential(appId, ["lcic-record"])), 404); // authenticated: no such task
      assert.equal(await view(await server.ingestKey(appId)), 404);
      const tiwApp = await server.createApp(["lcic", "tiw"]);
      assert.equal(await view(await server.workerCredential(tiwApp, ["tiw-push"])), 403);
      assert.equal(await view("rlwk_unknown"), 401);
    });
  });
}
