// TRRO cloud recording and live publishing through the official SDK, run by the simulated
// workers over the agent protocol, with the callbacks of ModifyCallbackUrl received by a
// real HTTP receiver and their TRTC signature checked (issue 21). Both backends.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { commonClient, sdkError } from "../support/tencent.ts";
import { AgentClient } from "../../src/agent/client.ts";
import { trroRecordSimulator } from "../../src/products/trro/record-simulator.ts";
import { trroPublishSimulator } from "../../src/products/trro/publish-simulator.ts";
import type { WorkerSimulator } from "../../src/agent/simulator.ts";
import { fleet, trroClient, type TrroClient } from "./trro-support.ts";

const LEASE_MS = 1000;
const SIGN_KEY = "abcd1234";

interface Delivery {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { EventGroupId: number; EventType: number; CallbackTs: number; EventInfo: Record<string, any> };
}

class Receiver {
  deliveries: Delivery[] = [];
  private server: http.Server | null = null;
  port = 0;
  async up(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d));
      req.on("end", () => {
        this.deliveries.push({ headers: req.headers, raw, body: JSON.parse(raw) });
        res.writeHead(200, { "content-type": "application/json" }).end('{"code":0}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    this.port = (this.server.address() as { port: number }).port;
  }
  async down(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections();
  }
  of(taskId: string, type?: number): Delivery[] {
    return this.deliveries.filter((d) => d.body.EventInfo.TaskId === taskId && (type === undefined || d.body.EventType === type));
  }
}

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function simulate(sim: WorkerSimulator, server: TestServer, credential: string, workerId: string) {
  const abort = new AbortController();
  const lines: string[] = [];
  const done = sim({
    baseUrl: server.url,
    credential,
    workerId,
    startDelayMs: 0,
    failureRate: 0,
    once: false,
    signal: abort.signal,
    log: (l) => lines.push(l),
  });
  return {
    lines,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

const storage = {
  Vendor: 0,
  Bucket: "recording-1304123456",
  Region: "ap-nanjing",
  AccessKey: "accesskey-test",
  SecretKey: "secretkey-test",
  FileNamePrefix: ["2024-12-24", "dev1"],
};

for (const backend of backends()) {
  describe(`TRRO recording and publishing tasks (${backend})`, () => {
    let server: TestServer;
    let client: TrroClient;
    const receiver = new Receiver();
    before(async () => {
      server = await startServer({
        backend,
        args: ["--rate-limit", "0"],
        env: { ROOMLEDGER_AGENT_LEASE_MS: String(LEASE_MS), ROOMLEDGER_AGENT_SWEEP_MS: "100" },
      });
      client = trroClient(server);
      await receiver.up();
    });
    after(async () => {
      await receiver.down();
      await server.stop();
    });

    test("ModifyCallbackUrl: the real example's answer; bad URL or key", async () => {
      const { projectId: P } = await fleet(server, client, []);
      const res = await client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: "http://123.45.81.121:9999", SignKey: SIGN_KEY });
      assert.deepEqual({ ...res, RequestId: undefined }, { Code: 0, Msg: "ok", RequestId: undefined });
      assert.equal((await sdkError(client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: "ftp://x" }))).code, "InvalidParameterValue");
      assert.equal(
        (await sdkError(client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: "http://x", SignKey: "no spaces" }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.ModifyCallbackUrl({ ProjectId: "nosuchproject000", CallbackUrl: "" }))).code, "OperationDenied");
    });

    test("a cloud recording: started, stopped by DeleteCloudRecording, uploaded; signed callbacks 301, 302, 310, 305", async () => {
      const { projectId: P } = await fleet(server, client, [{ id: "dev1", type: "field" }]);
      await client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: `http://127.0.0.1:${receiver.port}/trro`, SignKey: SIGN_KEY });
      // The real example's request.
      const req = {
        DeviceId: "dev1",
        ProjectId: P,
        OutputFormat: 3,
        VideoStreamId: 0,
        MaxMediaFileDuration: 20,
        MaxIdleTime: 20,
        CloudStorage: storage,
      };
      const { TaskId } = await client.CreateCloudRecording(req);
      assert.match(TaskId!, /^[A-Za-z0-9_-]{80}$/);
      // One live recording per device stream; another stream is fine.
      assert.equal((await sdkError(client.CreateCloudRecording(req))).code, "FailedOperation");
      assert.equal((await sdkError(client.CreateCloudRecording({ ...req, DeviceId: "ghost" }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(client.CreateCloudRecording({ ...req, MaxIdleTime: 4 }))).code, "InvalidParameterValue");
      const sim = simulate(trroRecordSimulator, server, await server.workerCredential(P, ["trro-record"]), "recorder-1");
      try {
        const started = await waitFor("301", () => receiver.of(TaskId!, 301)[0]);
        assert.equal(started.body.EventGroupId, 3);
        assert.equal(started.headers.sdkappid, P);
        assert.equal(started.headers.sign, createHmac("sha256", SIGN_KEY).update(started.raw).digest("base64"));
        assert.deepEqual(
          { ...started.body.EventInfo, EventTs: 0, EventMsTs: 0 },
          { RoomId: P, EventTs: 0, EventMsTs: 0, UserId: "dev1", TaskId, Payload: { Status: 0 } },
        );
        assert.equal(started.body.EventInfo.EventTs, Math.floor(started.body.EventInfo.EventMsTs / 1000));
        assert.equal(typeof started.body.CallbackTs, "number");

        assert.deepEqual(Object.keys(await client.DeleteCloudRecording({ TaskId: TaskId! })), ["RequestId"]);
        // Asked already: a second stop fails; so does one of an unknown task.
        assert.equal((await sdkError(client.DeleteCloudRecording({ TaskId: TaskId! }))).code, "FailedOperation");
        assert.equal((await sdkError(client.DeleteCloudRecording({ TaskId: "nosuchtask" }))).code, "InvalidParameterValue");
        // A recording task is no publishing task.
        assert.equal((await sdkError(client.StopPublishLiveStream({ TaskId: TaskId! }))).code, "InvalidParameterValue");

        const done = await waitFor("305", () => receiver.of(TaskId!, 305)[0]);
        assert.deepEqual(done.body.EventInfo.Payload, { Status: 0 });
        assert.deepEqual(receiver.of(TaskId!, 302)[0]!.body.EventInfo.Payload, { LeaveCode: 0 });
        // 310 and 305 are two jobs, delivered in either order: 305 first leaves 310 still on its way.
        const files = (await waitFor("310", () => receiver.of(TaskId!, 310)[0])).body.EventInfo.Payload;
        assert.equal(files.Status, 0);
        assert.equal(files.FileList.length, 1);
        assert.equal(files.FileList[0].FileName, `2024-12-24/dev1/${TaskId}/dev1_0.mp4`);
        // 310 and 305 are sent together (two jobs): in either order.
        const types = receiver.of(TaskId!).map((d) => d.body.EventType);
        assert.deepEqual([...types.slice(0, 2), ...types.slice(2).sort()], [301, 302, 305, 310]);
        for (const d of receiver.of(TaskId!)) assert.equal(d.headers.sign, createHmac("sha256", SIGN_KEY).update(d.raw).digest("base64"));
      } finally {
        await sim.stop();
      }
      // Over: the stream may be recorded again. Stopped before any recorder took it, it is over
      // at once, with no callback (nothing was recorded).
      const second = await client.CreateCloudRecording(req);
      await client.DeleteCloudRecording({ TaskId: second.TaskId! });
      assert.equal((await sdkError(client.DeleteCloudRecording({ TaskId: second.TaskId! }))).code, "FailedOperation");
      await client.CreateCloudRecording(req); // the stream is free again
      assert.equal(receiver.of(second.TaskId!).length, 0);
    });

    test("a recorder lost for good: the task ends with 302 LeaveCode 1", async () => {
      const { projectId: P } = await fleet(server, client, [{ id: "dev1", type: "field" }]);
      await client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: `http://127.0.0.1:${receiver.port}/trro`, SignKey: "" });
      const { TaskId } = await client.CreateCloudRecording({ ProjectId: P, DeviceId: "dev1", VideoStreamId: 1, CloudStorage: storage });
      const credential = await server.workerCredential(P, ["trro-record"]);
      for (const id of ["ghost-1", "ghost-2", "ghost-3"]) {
        const w = new AgentClient({ baseUrl: server.url, credential, workerId: id });
        const claimed = await waitFor(`${id} claims`, async () => (await w.claim("trro-record")).task ?? undefined);
        assert.equal(claimed.taskId, TaskId);
        if (id === "ghost-1") await w.report(TaskId!, [{ type: "started", data: {} }]);
        // ... and never heartbeats.
      }
      const lost = await waitFor("302", () => receiver.of(TaskId!, 302)[0]);
      assert.deepEqual(lost.body.EventInfo.Payload, { LeaveCode: 1 });
      assert.equal(lost.headers.sign, undefined); // no key, no signature
      assert.deepEqual(
        receiver.of(TaskId!).map((d) => d.body.EventType),
        [301, 302],
      );
      assert.equal((await sdkError(client.DeleteCloudRecording({ TaskId: TaskId! }))).code, "FailedOperation");
    });

    test("workers' reports: failures end the tasks (302 LeaveCode 1, 401 Status 4); no upload before the stop", async () => {
      const { projectId: P } = await fleet(server, client, [{ id: "dev1", type: "field" }]);
      await client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: `http://127.0.0.1:${receiver.port}/trro` });
      const w = new AgentClient({
        baseUrl: server.url,
        credential: await server.workerCredential(P, ["trro-record", "trro-publish"]),
        workerId: "hand",
      });
      const rec = await client.CreateCloudRecording({ ProjectId: P, DeviceId: "dev1", VideoStreamId: 3, CloudStorage: storage });
      await waitFor("claim", async () => (await w.claim("trro-record")).task ?? undefined);
      await w.report(rec.TaskId!, [{ type: "started", data: {} }]);
      await assert.rejects(w.report(rec.TaskId!, [{ type: "uploaded", data: { files: [] } }]), /has not stopped/);
      await w.report(rec.TaskId!, [{ type: "failed", data: { code: 7, message: "bucket refused" } }]);
      const failed = await waitFor("302", () => receiver.of(rec.TaskId!, 302)[0]);
      assert.deepEqual(failed.body.EventInfo.Payload, { LeaveCode: 1 });
      assert.equal((await sdkError(client.DeleteCloudRecording({ TaskId: rec.TaskId! }))).code, "FailedOperation");

      const pub = await client.StartPublishLiveStream({
        WithTranscoding: 0,
        MaxIdleTime: 5,
        VideoParams: {
          Width: 0,
          Height: 0,
          Fps: 1,
          BitRate: 1,
          Gop: 1,
          VideoList: [{ ProjectId: P, DeviceId: "dev1", VideoStreamId: 0, Width: 0, Height: 0 }],
        },
        PublishParams: [{ PublishUrl: "rtmps://cdn.example/live/a", IsTencentUrl: 0 }],
      });
      await waitFor("claim", async () => (await w.claim("trro-publish")).task ?? undefined);
      await w.report(pub.TaskId!, [{ type: "failed", data: { code: "E1", message: "CDN refused" } }]);
      const down = await waitFor("401", () => receiver.of(pub.TaskId!, 401)[0]);
      assert.deepEqual(down.body.EventInfo.Payload, { Status: 4, Url: "rtmps://cdn.example/live/a" });
      assert.equal((await sdkError(client.StopPublishLiveStream({ TaskId: pub.TaskId! }))).code, "FailedOperation");
    });

    test("live publishing: 401 per URL, publishing then stopped", async () => {
      const { projectId: P } = await fleet(server, client, [
        { id: "geek_gw_2", type: "field" },
        { id: "cam_b", type: "field" },
      ]);
      await client.ModifyCallbackUrl({ ProjectId: P, CallbackUrl: `http://127.0.0.1:${receiver.port}/trro`, SignKey: SIGN_KEY });
      const urls = [
        "rtmp://live-push-test.tencentcs.com/live/test1?txSecret=abcd1234567890&txTime=679C9784",
        "rtmp://other.example/live/x",
      ];
      // The real example's request, with a second URL.
      const req = {
        PublishParams: urls.map((PublishUrl) => ({ PublishUrl, IsTencentUrl: 1 })),
        MaxIdleTime: 20,
        VideoParams: {
          Width: 1920,
          Height: 1080,
          Fps: 30,
          BitRate: 1500,
          Gop: 2,
          VideoList: [{ VideoStreamId: 0, Width: 1920, Height: 1080, DeviceId: "geek_gw_2", ProjectId: P }],
        },
        WithTranscoding: 1,
      };
      const two = [...req.VideoParams.VideoList, { VideoStreamId: 0, Width: 640, Height: 360, DeviceId: "cam_b", ProjectId: P }];
      assert.equal(
        (await sdkError(client.StartPublishLiveStream({ ...req, WithTranscoding: 0, VideoParams: { ...req.VideoParams, VideoList: two } })))
          .code,
        "InvalidParameterValue",
      );
      const foreign = [{ ...req.VideoParams.VideoList[0]!, ProjectId: "nosuchproject000" }];
      assert.equal(
        (await sdkError(client.StartPublishLiveStream({ ...req, VideoParams: { ...req.VideoParams, VideoList: foreign } }))).code,
        "OperationDenied",
      );
      assert.equal(
        (await sdkError(client.StartPublishLiveStream({ ...req, PublishParams: [{ PublishUrl: "not a url", IsTencentUrl: 0 }] }))).code,
        "InvalidParameterValue",
      );
      assert.equal((await sdkError(client.StartPublishLiveStream({ ...req, PublishParams: [] }))).code, "InvalidParameterValue");
      const { TaskId } = await client.StartPublishLiveStream({ ...req, VideoParams: { ...req.VideoParams, VideoList: two } });
      const sim = simulate(trroPublishSimulator, server, await server.workerCredential(P, ["trro-publish"]), "publisher-1");
      try {
        const pub = await waitFor("401 ×2", () => (receiver.of(TaskId!, 401).length >= 2 ? receiver.of(TaskId!, 401) : undefined));
        // One job per callback: two callbacks of one moment may arrive in either order.
        const byUrl = (a: Delivery, b: Delivery) => a.body.EventInfo.Payload.Url.localeCompare(b.body.EventInfo.Payload.Url);
        assert.deepEqual(
          [...pub].sort(byUrl).map((d) => [d.body.EventGroupId, d.body.EventInfo.Payload]),
          [...urls].sort().map((Url) => [4, { Status: 1, Url }]),
        );
        assert.equal(pub[0]!.body.EventInfo.UserId, "geek_gw_2");
        assert.equal(pub[0]!.headers.sign, createHmac("sha256", SIGN_KEY).update(pub[0]!.raw).digest("base64"));
        assert.deepEqual(Object.keys(await client.StopPublishLiveStream({ TaskId: TaskId! })), ["RequestId"]);
        const stopped = await waitFor("401 Status 3", () =>
          receiver.of(TaskId!, 401).length >= 4 ? receiver.of(TaskId!, 401).slice(2) : undefined,
        );
        assert.deepEqual(
          [...stopped].sort(byUrl).map((d) => d.body.EventInfo.Payload),
          [...urls].sort().map((Url) => ({ Status: 3, Url })),
        );
        assert.equal((await sdkError(client.StopPublishLiveStream({ TaskId: TaskId! }))).code, "FailedOperation");
        assert.equal((await sdkError(client.DeleteCloudRecording({ TaskId: TaskId! }))).code, "InvalidParameterValue");
      } finally {
        await sim.stop();
      }
    });

    test("another account cannot stop a task", async () => {
      const { projectId: P } = await fleet(server, client, [{ id: "dev1", type: "field" }]);
      const { TaskId } = await client.CreateCloudRecording({ ProjectId: P, DeviceId: "dev1", VideoStreamId: 2, CloudStorage: storage });
      const acct = await server.admin<{ secretId: string; secretKey: string }>("POST", "/accounts", { name: "other" });
      const other = trroClient(server, { secretId: acct.secretId, secretKey: acct.secretKey });
      assert.equal((await sdkError(other.DeleteCloudRecording({ TaskId: TaskId! }))).code, "InvalidParameterValue");
      await client.DeleteCloudRecording({ TaskId: TaskId! });
    });

    test("property: the task and callback actions answer any parameters with a result or a documented error", async () => {
      const { projectId: P } = await fleet(server, client, [{ id: "f1", type: "field" }]);
      const raw = commonClient(server, "2022-03-25");
      const fields = [
        "ProjectId",
        "DeviceId",
        "VideoStreamId",
        "CloudStorage",
        "MaxMediaFileDuration",
        "OutputFormat",
        "MaxIdleTime",
        "TaskId",
        "WithTranscoding",
        "VideoParams",
        "PublishParams",
        "CallbackUrl",
        "SignKey",
      ];
      const picture = fc.record(
        {
          ProjectId: fc.constantFrom(P, "x"),
          DeviceId: fc.constantFrom("f1", "zz"),
          VideoStreamId: fc.integer({ min: -1, max: 70 }),
          Width: fc.integer({ min: -1, max: 2000 }),
          Height: fc.integer({ min: 0, max: 1100 }),
        },
        { requiredKeys: [] },
      );
      const value = fc.oneof(
        fc.constant(P),
        fc.constantFrom("f1", "http://127.0.0.1:1/x", "rtmp://a/b", "", "abc", "%"),
        fc.integer({ min: -5, max: 100_000 }),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        fc.double(),
        fc.constant(null),
        fc.record(
          { ...Object.fromEntries(Object.entries(storage).map(([k, v]) => [k, fc.constant(v)])), Vendor: fc.integer({ min: -1, max: 2 }) },
          { requiredKeys: [] },
        ),
        fc.record(
          {
            Width: fc.integer({ min: -1, max: 2000 }),
            Height: fc.constant(720),
            Fps: fc.integer({ min: 0, max: 61 }),
            BitRate: fc.constant(100),
            Gop: fc.constant(2),
            VideoList: fc.array(picture, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        fc.array(
          fc.record(
            { PublishUrl: fc.constantFrom("rtmp://a/b", "x", ""), IsTencentUrl: fc.integer({ min: -1, max: 2 }) },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      );
      const params = fc
        .tuple(fc.constantFrom({ ProjectId: P }, {}), fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 8 }))
        .map(([base, rest]) => ({ ...base, ...rest }));
      const actions = [
        "ModifyCallbackUrl",
        "CreateCloudRecording",
        "DeleteCloudRecording",
        "StartPublishLiveStream",
        "StopPublishLiveStream",
      ];
      const allowed = new Set([
        "MissingParameter",
        "InvalidParameter",
        "InvalidParameterValue",
        "UnknownParameter",
        "OperationDenied",
        "FailedOperation",
      ]);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...actions), params, async (action, p) => {
          try {
            await raw.request(action, p);
          } catch (err) {
            const code = (err as { code?: string }).code;
            assert.ok(code && allowed.has(code), `${action} ${JSON.stringify(p)}: ${code} ${(err as Error).message}`);
          }
        }),
        { numRuns: 200 },
      );
    });
  });
}
