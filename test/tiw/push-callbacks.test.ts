// WhiteboardPushStarted / WhiteboardPushStopped callbacks: the reference's envelope, the
// signature md5(CallbackKey + ExpireTime), and at-least-once delivery across a receiver
// outage (connection refused, then a 500), retried by jobs on the domain clock.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash } from "node:crypto";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { pushUser, tiwApp, tiwClient, waitFor, worker, type TiwClient } from "./helpers.ts";

interface Delivery {
  status: number;
  body: { Timestamp: number; ExpireTime: number; SdkAppId: number; Sign: string; EventType: string; EventData: Record<string, unknown> };
}

/** A callback receiver that can be down (port closed) or answer a given status. */
class Receiver {
  deliveries: Delivery[] = [];
  answers: number[] = [];
  private server: http.Server | null = null;
  port = 0;
  async up(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d));
      req.on("end", () => {
        const status = this.answers.shift() ?? 200;
        this.deliveries.push({ status, body: JSON.parse(raw) });
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error_code: status === 200 ? 0 : 1 }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", () => r()));
    this.port = (this.server.address() as { port: number }).port;
  }
  async down(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections();
    this.server = null;
  }
  delivered(type: string): Delivery[] {
    return this.deliveries.filter((d) => d.status === 200 && d.body.EventType === type);
  }
}

const md5 = (s: string) => createHash("md5").update(s).digest("hex");

for (const backend of backends()) {
  describe(`TIW push callbacks (${backend})`, () => {
    let server: TestServer;
    let c: TiwClient;
    const receiver = new Receiver();
    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_RATE_LIMIT: "0" } });
      c = tiwClient(server);
      await receiver.up();
    });
    after(async () => {
      await receiver.down();
      await server.stop();
    });

    test("Started and Stopped reach the receiver, signed, after an outage", async () => {
      const app = await tiwApp(server);
      await c.SetWhiteboardPushCallback({ SdkAppId: app.appId, Callback: `http://127.0.0.1:${receiver.port}/tiw-callback` });
      await c.SetWhiteboardPushCallbackKey({ SdkAppId: app.appId, CallbackKey: "tiw-callback-key" });
      await receiver.down(); // the outage: connection refused

      const user = pushUser();
      const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 880528, PushUserId: user, PushUserSig: "s" });
      const w = worker(server, app.worker, "callback-worker");
      await w.claim("tiw-push");
      await w.report(TaskId!, [{ type: "started", time: 1610591726_000, data: { imSyncTime: 42 } }]);
      await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
      await w.heartbeat(TaskId!);
      await w.report(TaskId!, [{ type: "stopped", time: 1610591759_000 }]);
      await server.admin("POST", "/jobs/drain"); // first attempts, into the closed port

      await receiver.up();
      receiver.answers.push(500); // back, but failing once more
      for (
        let i = 0;
        i < 8 && (receiver.delivered("WhiteboardPushStarted").length === 0 || receiver.delivered("WhiteboardPushStopped").length === 0);
        i++
      ) {
        await server.advance(30); // the retries' backoff is on the domain clock
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(
        receiver.deliveries.some((d) => d.status === 500),
        "the receiver saw a failed attempt",
      );
      const started = receiver.delivered("WhiteboardPushStarted")[0];
      const stopped = receiver.delivered("WhiteboardPushStopped")[0];
      assert.ok(started && stopped, "both callbacks delivered");
      for (const d of [started, stopped]) {
        assert.equal(d.body.SdkAppId, app.appId);
        assert.equal(d.body.Sign, md5(`tiw-callback-key${d.body.ExpireTime}`));
        assert.ok(d.body.ExpireTime > d.body.Timestamp);
        assert.deepEqual(Object.keys(d.body).sort(), ["EventData", "EventType", "ExpireTime", "SdkAppId", "Sign", "Timestamp"]);
      }
      assert.deepEqual(started.body.EventData, { TaskId, RoomId: 880528, PushUserId: user, PushStartTime: 1610591726 });
      assert.deepEqual(stopped.body.EventData, {
        TaskId,
        RoomId: 880528,
        GroupId: "880528",
        PushUserId: user,
        FinishReason: "USER_CALL",
        PushStartTime: 1610591726,
        PushStopTime: 1610591759,
        IMSyncTime: 42,
        ExceptionCnt: 0,
      });
    });

    test("a failed push's Stopped callback carries the error (code FailedOperation.Record, as documented)", async () => {
      const app = await tiwApp(server);
      await c.SetWhiteboardPushCallback({ SdkAppId: app.appId, Callback: `http://127.0.0.1:${receiver.port}/tiw-callback` });
      const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" });
      const w = worker(server, app.worker, "failing-worker");
      await w.claim("tiw-push");
      await w.report(TaskId!, [{ type: "failed", data: { code: 40006, message: "TRTC onError" } }]);
      const d = await waitFor("the Stopped callback", async () =>
        receiver.delivered("WhiteboardPushStopped").find((x) => x.body.EventData.TaskId === TaskId),
      );
      assert.equal(d.body.Sign, md5(`${d.body.ExpireTime}`)); // no key set: md5("" + ExpireTime)
      assert.equal(d.body.EventData.FinishReason, "EXCEPTION");
      assert.equal(d.body.EventData.PushStartTime, 0);
      assert.equal(d.body.EventData.ExceptionCnt, 1);
      assert.deepEqual(d.body.EventData.Error, { Code: "FailedOperation.Record", Message: "code: 40006, msg: TRTC onError\n" });
    });

    test("no callback URL, no callback", async () => {
      const app = await tiwApp(server);
      const before = receiver.deliveries.length;
      const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" });
      await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
      await server.admin("POST", "/jobs/drain");
      assert.equal(receiver.deliveries.length, before);
    });
  });
}
