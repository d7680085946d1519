// The TRRO device report endpoint: device authentication, all-or-nothing batches, retries,
// and property tests of its boundary and of the session list's. Both backends.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { commonClient, sdkError } from "../support/tencent.ts";
import { Device, domainNow, fleet, goodMetrics, TOKEN, trroClient, type TrroClient } from "./trro-support.ts";

for (const backend of backends()) {
  describe(`TRRO device reports (${backend})`, () => {
    let server: TestServer;
    let client: TrroClient;
    let P: string;
    let dev: Record<string, Device>;
    before(async () => {
      // The property tests call actions faster than 20/s (the limit is the platform's, tested there).
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
      client = trroClient(server);
      ({ projectId: P, dev } = await fleet(server, client, [
        { id: "f1", type: "field" },
        { id: "f2", type: "field" },
        { id: "r1", type: "remote" },
      ]));
    });
    after(() => server.stop());

    const lastReport = async (id: string) => (await client.DescribeDeviceInfo({ ProjectId: P, DeviceId: id })).LastReportTime;

    test("devices authenticate with project, device id and device token", async () => {
      const now = await domainNow(server);
      const ok = await dev.f1!.post([{ id: "1", type: "trro.device.online", ctime: now, data: {} }]);
      assert.equal(ok.status, 200);
      assert.deepEqual({ ...ok.body, requestId: undefined }, { received: 1, accepted: 1, duplicates: 0, requestId: undefined });
      const wrong = [
        new Device(server, P, "f1", "Wrongtoken000000"),
        new Device(server, P, "ghost", TOKEN),
        new Device(server, "nosuchproject000", "f1", TOKEN),
      ];
      for (const d of wrong) {
        const res = await d.post([{ id: "2", type: "trro.device.online", ctime: now, data: {} }]);
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, "Unauthorized");
      }
      const noAuth = await dev.f1!.post([], { authorization: "" });
      assert.equal(noAuth.status, 401);
      // An account key is not a device credential.
      const keyed = await dev.f1!.post([], { authorization: `Bearer ${server.secretKey}` });
      assert.equal(keyed.status, 401);
      // A device of another project with the same id and token is another device.
      const { projectId: other } = await fleet(server, client, [{ id: "f1", type: "field" }], "other");
      const cross = await new Device(server, other, "f1", TOKEN).post([{ id: "1", type: "trro.device.online", ctime: now, data: {} }]);
      assert.equal(cross.status, 200);
      assert.equal(cross.body.accepted, 1, "event ids are per project and device");
      // ModifyDevice changes the token at once.
      await client.ModifyDevice({ ProjectId: P, DeviceId: "f2", DeviceToken: "NewToken12345678" });
      assert.equal((await dev.f2!.post([{ id: "1", type: "trro.device.heartbeat", ctime: now, data: {} }])).status, 401);
      dev.f2!.token = "NewToken12345678";
      assert.equal((await dev.f2!.post([{ id: "1", type: "trro.device.heartbeat", ctime: now, data: {} }])).status, 200);
    });

    test("a batch with one bad event is refused whole, naming it", async () => {
      const now = await domainNow(server);
      const sid = `${P}-allornothing`;
      const res = await dev.r1!.post([
        { id: "a", type: "trro.device.online", ctime: now, data: {} },
        { id: "b", type: "trro.session.started", ctime: now, data: { sessionId: sid, peerDeviceId: "f1" } },
        { id: "c", type: "trro.session.metrics", ctime: now, data: { sessionId: sid, ...goodMetrics, fps: -1 } },
        { id: "d", type: "roomledger.diagnostic", ctime: now, data: { seq: 1 } },
        { id: "e", type: "trro.device.online", ctime: now, data: { deviceId: "f1" } },
      ]);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "InvalidBatch");
      assert.deepEqual(
        res.body.error.events.map((e: { index: number }) => e.index),
        [2, 3, 4],
        "every bad event named",
      );
      const res2 = await dev.r1!.post([
        { id: "a", type: "trro.device.online", ctime: now, data: {} },
        { id: "c", type: "trro.session.metrics", ctime: now, data: { sessionId: sid, ...goodMetrics, fps: -1 } },
      ]);
      assert.equal(res2.status, 400);
      assert.deepEqual(
        res2.body.error.events.map((e: { index: number }) => e.index),
        [1],
      );
      assert.equal(await lastReport("r1"), "", "nothing stored");
      // Contradictions found while applying also refuse the whole batch.
      for (const [data, type] of [
        [{ sessionId: `${P}-x`, peerDeviceId: "ghost" }, "trro.session.started"],
        [{ sessionId: `${P}-x`, peerDeviceId: "r1" }, "trro.session.started"], // remote with remote
        [{ sessionId: `other-x`, peerDeviceId: "f1" }, "trro.session.started"], // not this project's prefix
        [{ sessionId: `${P}-never`, ...goodMetrics }, "trro.session.metrics"],
        [{ sessionId: `${P}-never` }, "trro.session.ended"],
      ] as const) {
        const r = await dev.r1!.post([
          { id: "ok", type: "trro.device.online", ctime: now, data: {} },
          { id: "bad", type, ctime: now, data },
        ]);
        assert.equal(r.status, 400, JSON.stringify(data));
        assert.equal(r.body.error.code, "InvalidBatch");
      }
      assert.equal(await lastReport("r1"), "", "still nothing stored");
      const list = await client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 10 });
      assert.equal(list.Total, 0);
      // Not JSON, not an array.
      const notJson = await fetch(`${server.url}/ingest/v1/trro/reports`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-trro-project-id": P, "x-trro-device-id": "r1", authorization: `Bearer ${TOKEN}` },
        body: "{oops",
      });
      assert.equal(notJson.status, 400);
    });

    test("retries are stored once; samples are keyed by session, device and time", async () => {
      const now = await domainNow(server);
      const sid = `${P}-retry`;
      await dev.f1!.report({ id: "s", type: "trro.session.started", ctime: now, data: { sessionId: sid, peerDeviceId: "r1" } });
      const batch = [1, 2, 3].map((i) => ({
        id: `m${i}`,
        type: "trro.session.metrics",
        ctime: now + i * 1000,
        data: { sessionId: sid, ...goodMetrics },
      }));
      const first = await dev.f1!.post(batch, {}, "application/x-ndjson");
      assert.equal(first.status, 200);
      assert.equal(first.body.accepted, 3);
      const again = await dev.f1!.post(batch);
      assert.deepEqual([again.body.accepted, again.body.duplicates], [0, 3]);
      // Same sample time under a new event id: still the same sample.
      const sameTime = await dev.f1!.post([
        { id: "other", type: "trro.session.metrics", ctime: now + 1000, data: { sessionId: sid, ...goodMetrics } },
      ]);
      assert.deepEqual([sameTime.body.accepted, sameTime.body.duplicates], [0, 1]);
      // The other side may use the same event ids.
      await dev.r1!.report({ id: "s", type: "trro.session.started", ctime: now, data: { sessionId: sid, peerDeviceId: "f1" } });
      const details = await client.DescribeDeviceSessionDetails({ SessionId: sid });
      assert.equal(details.Details!.length, 2);
      assert.equal(details.Details![0]!.Rate!.length, 3);
      // The generic ingest API carries the same events for an app key, naming the device.
      const key = await server.ingestKey(P);
      const res = await fetch(`${server.url}/ingest/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify([
          { id: "g1", type: "trro.session.metrics", ctime: now + 9000, data: { deviceId: "r1", sessionId: sid, ...goodMetrics } },
        ]),
      });
      assert.equal(res.status, 200);
      const after = await client.DescribeDeviceSessionDetails({ SessionId: sid });
      assert.equal(after.Details![1]!.Rate!.length, 1);
    });

    test("both sides starting a session at the same moment both succeed", async () => {
      const now = await domainNow(server);
      for (let i = 0; i < 5; i++) {
        const sid = `${P}-together${i}`;
        const [a, b] = await Promise.all([
          dev.f1!.post([
            {
              id: `t${i}`,
              type: "trro.session.started",
              ctime: now,
              data: { sessionId: sid, peerDeviceId: "r1", width: 1280, height: 720 },
            },
          ]),
          dev.r1!.post([{ id: `t${i}`, type: "trro.session.started", ctime: now + 5, data: { sessionId: sid, peerDeviceId: "f1" } }]),
        ]);
        assert.deepEqual([a.status, b.status], [200, 200], JSON.stringify([a.body, b.body]));
        const d = await client.DescribeDeviceSessionDetails({ SessionId: sid });
        assert.equal(d.Details!.length, 2);
      }
    });

    test("the report endpoint is on the OpenAPI page, with each event type's data", async () => {
      const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as any;
      const post = doc.paths["/ingest/v1/trro/reports"].post;
      const headers = post.parameters.filter((x: { in: string }) => x.in === "header").map((x: { name: string }) => x.name);
      assert.deepEqual(headers.sort(), ["authorization", "x-trro-device-id", "x-trro-project-id"]);
      const items = post.requestBody.content["application/json"].schema.items.anyOf;
      const types = items.map(
        (i: { properties: { type: { const?: string; enum?: string[] } } }) => i.properties.type.const ?? i.properties.type.enum?.[0],
      );
      assert.deepEqual(types, [
        "trro.device.online",
        "trro.device.heartbeat",
        "trro.device.offline",
        "trro.session.started",
        "trro.session.metrics",
        "trro.session.ended",
      ]);
      const metrics = items[4].properties.data;
      assert.ok(metrics.required.includes("networkLatency"));
    });

    test("property: any body from a device gets 200 or a 4xx, never a 500, never a partial write", async () => {
      const now = await domainNow(server);
      const event = fc.record(
        {
          id: fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant("x".repeat(100))),
          type: fc.constantFrom(
            "trro.device.online",
            "trro.session.started",
            "trro.session.metrics",
            "trro.session.ended",
            "trro.nope",
            "x",
          ),
          ctime: fc.oneof(fc.constant(now), fc.integer(), fc.string({ maxLength: 5 })),
          data: fc.oneof(
            fc.constant({}),
            fc.record(
              {
                sessionId: fc.constantFrom(`${P}-prop`, "bad", `${P}-retry`),
                peerDeviceId: fc.constantFrom("r1", "f2", "ghost"),
                deviceId: fc.constantFrom("f2", "f1"),
              },
              { requiredKeys: [] },
            ),
            fc.dictionary(fc.string({ maxLength: 4 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 }),
            fc.anything({ maxDepth: 1 }),
          ),
        },
        { requiredKeys: [] },
      );
      const body = fc.oneof(fc.array(event, { maxLength: 5 }), fc.anything({ maxDepth: 2 }));
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const before = await lastReport("f2");
          const res = await fetch(`${server.url}/ingest/v1/trro/reports`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-trro-project-id": P,
              "x-trro-device-id": "f2",
              authorization: "Bearer NewToken12345678",
            },
            body: JSON.stringify(b) ?? "null",
          });
          const json = await res.json();
          assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${res.status} ${JSON.stringify(json)}`);
          if (res.status !== 200) assert.equal(await lastReport("f2"), before, "a refused batch changes nothing");
        }),
        { numRuns: 60 },
      );
    });

    test("property: any DescribeDeviceSessionList request gets an answer or a documented error", async () => {
      const raw = commonClient(server, "2022-03-25");
      const value = fc.oneof(
        fc.integer(),
        fc.string({ maxLength: 6 }),
        fc.constant(P),
        fc.boolean(),
        fc.double(),
        fc.constant("1"),
        fc.constant(-1),
      );
      const req = fc.record(
        { ProjectId: value, PageNumber: value, PageSize: value, DeviceId: value, StartTime: value, EndTime: value, Other: value },
        { requiredKeys: [] },
      );
      const allowed = new Set(["MissingParameter", "InvalidParameter", "InvalidParameterValue", "UnknownParameter", "OperationDenied"]);
      await fc.assert(
        fc.asyncProperty(req, async (r) => {
          try {
            const res = (await raw.request("DescribeDeviceSessionList", r)) as { Total: number; Num: number; DeviceSessionList: unknown[] };
            assert.equal(res.Num, res.DeviceSessionList.length);
          } catch (err) {
            const code = (err as { code?: string }).code;
            assert.ok(code && allowed.has(code), `unexpected ${code}: ${(err as Error).message}`);
          }
        }),
        { numRuns: 80 },
      );
      assert.equal(
        (await sdkError(client.DescribeDeviceSessionList({ ProjectId: P, PageNumber: 1, PageSize: 1.5 }))).code,
        "InvalidParameter",
      );
    });

    test("property: every TRRO action answers any parameters with a result or a documented error", async () => {
      // A project of its own: the fuzzer modifies and deletes devices of the project it is given.
      const { projectId: P } = await fleet(server, client, [
        { id: "f1", type: "field" },
        { id: "r1", type: "remote" },
      ]);
      const raw = commonClient(server, "2022-03-25");
      const fields = [
        "ProjectId",
        "ProjectName",
        "ProjectDescription",
        "PolicyMode",
        "PageSize",
        "PageNumber",
        "DeviceId",
        "DeviceIds",
        "DeviceName",
        "DeviceType",
        "DeviceToken",
        "DeviceStatus",
        "SearchWords",
        "RegisterType",
        "SessionId",
        "StartTime",
        "EndTime",
        "StatisticInterval",
      ];
      const actions = [
        "CreateProject",
        "DescribeProjectList",
        "DescribeProjectInfo",
        "ModifyProject",
        "CreateDevice",
        "DescribeDeviceList",
        "DescribeDeviceInfo",
        "ModifyDevice",
        "BatchDeleteDevices",
        "DescribeDeviceSessionList",
        "DescribeDeviceSessionDetails",
        "DescribeSessionStatistics",
        "DescribeSessionStatisticsByInterval",
        "DescribeRecentSessionList",
        "DeleteProject",
      ];
      const value = fc.oneof(
        fc.constant(P),
        fc.constant(`${P}-retry`),
        fc.constantFrom("f1", "r1", "field", "remote", "hour", "month", "white", "ready", "online"),
        fc.constant("Abcdef0123456789"),
        fc.integer({ min: -5, max: 2_000_000_000 }),
        fc.string({ maxLength: 30 }),
        fc.array(fc.constantFrom("f1", "zz", ""), { maxLength: 3 }),
        fc.boolean(),
        fc.double(),
        fc.constant(null),
      );
      const params = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 6 });
      const allowed = new Set([
        "MissingParameter",
        "InvalidParameter",
        "InvalidParameterValue",
        "UnknownParameter",
        "OperationDenied",
        "FailedOperation",
      ]);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...actions.filter((a) => a !== "DeleteProject")), params, async (action, p) => {
          try {
            await raw.request(action, p);
          } catch (err) {
            const code = (err as { code?: string }).code;
            assert.ok(code && allowed.has(code), `${action} ${JSON.stringify(p)}: ${code} ${(err as Error).message}`);
          }
        }),
        { numRuns: 150 },
      );
    });
  });
}
