// Every answer in the protocol's own envelope (issue 16, item 9), for requests no route sees
// or that used to end badly: a query string past Node's header limit (a bare 431 before), a
// path segment past the router's limit (414, with no Huawei body before), an undecodable URL
// (Fastify's own 400 before), an oversized TRRO device report (a reset connection before),
// and an NDJSON body that starts with a UTF-8 byte-order mark (refused before; accepted).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { diagnostic } from "../support/ingest.ts";
import { fleet, trroClient, type Device } from "../trro/trro-support.ts";

const LIMIT = 64 * 1024; // the ingest body limit these servers run with

/** A raw request: undici's fetch would refuse or normalise some of these URLs. */
function raw(
  server: TestServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, method, path, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => {
        try {
          resolve({ status: res.statusCode!, headers: res.headers, json: JSON.parse(text) });
        } catch {
          reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 300)}`));
        }
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

for (const backend of backends()) {
  describe(`protocol envelopes (${backend})`, () => {
    let server: TestServer;
    let key: string;
    let device: Device;
    before(async () => {
      server = await startServer({ backend, env: { ROOMLEDGER_INGEST_BODY_LIMIT: String(LIMIT) } });
      key = await server.ingestKey(await server.createApp(["lcic"]));
      device = (await fleet(server, trroClient(server), [{ id: "car", type: "field" }])).dev.car!;
    });
    after(() => server?.stop());

    test("a query string past the header limit: Tencent RequestSizeLimitExceeded, native 431, Huawei 431 body", async () => {
      const long = `x=${"a".repeat(70 * 1024)}`;
      const tc = await raw(server, "GET", `/?Action=DescribeRoom&${long}`);
      assert.equal(tc.status, 200, JSON.stringify(tc.json));
      assert.equal(tc.json.Response.Error.Code, "RequestSizeLimitExceeded");
      assert.match(tc.json.Response.RequestId, /^[0-9a-f-]{36}$/);
      const native = await raw(server, "POST", `/ingest/v1/events?${long}`);
      assert.equal(native.status, 431);
      assert.equal(native.json.error.code, "HeadersTooLarge");
      const hw = await raw(server, "GET", `/v1/${server.huaweiProjectId}/rtc/client/qos/details?${long}`);
      assert.equal(hw.status, 431);
      assert.equal(hw.json.error_code, "APIGW.0201");
      assert.equal(hw.json.request_id, hw.headers["x-request-id"]);
    });

    test("a path segment past the router's limit: 414 in the Huawei error body, and in the native shape", async () => {
      const hw = await raw(server, "GET", `/v1/${"p".repeat(300)}/rtc/client/qos/details`);
      assert.equal(hw.status, 414);
      assert.equal(hw.json.error_code, "APIGW.0201");
      assert.match(hw.json.error_msg, /too long/);
      assert.equal(hw.json.request_id, hw.headers["x-request-id"]);
      const native = await raw(
        server,
        "POST",
        `/agent/v1/tasks/${"1".repeat(300)}/heartbeat`,
        { "content-type": "application/json" },
        Buffer.from("{}"),
      );
      assert.equal(native.status, 414);
      assert.equal(typeof native.json.error.code, "string");
    });

    test("an undecodable URL: 400 in each protocol's envelope", async () => {
      const hw = await raw(server, "GET", "/v1/%ff%fe/rtc/client/qos/details");
      assert.equal(hw.status, 400);
      assert.equal(hw.json.error_code, "APIGW.0201");
      assert.match(hw.json.error_msg, /percent-encoded/);
      const native = await raw(server, "POST", "/agent/v1/tasks/%ff/heartbeat", { "content-type": "application/json" }, Buffer.from("{}"));
      assert.equal(native.status, 400);
      assert.equal(native.json.error.code, "BadRequest");
      assert.match(native.json.error.message, /percent-encoded/);
    });

    test("an oversized TRRO report: 413 in the native shape after the body is read, no reset; a bad token too", async () => {
      const big = Buffer.alloc(LIMIT * 3, "x");
      const headers = {
        "content-type": "application/x-ndjson",
        "x-trro-project-id": device.projectId,
        "x-trro-device-id": device.deviceId,
        authorization: `Bearer ${device.token}`,
      };
      const r = await raw(server, "POST", "/ingest/v1/trro/reports", headers, big);
      assert.equal(r.status, 413);
      assert.equal(r.json.error.code, "PayloadTooLarge");
      const bad = await raw(server, "POST", "/ingest/v1/trro/reports", { ...headers, authorization: "Bearer wrong-token-000" }, big);
      assert.equal(bad.status, 401);
      assert.equal(bad.json.error.code, "Unauthorized");
    });

    test("NDJSON whose first line starts with a UTF-8 byte-order mark is accepted, on the events and TRRO routes", async () => {
      const lines = [diagnostic("bom-1", 1), diagnostic("bom-2", 2)].map((e) => JSON.stringify(e)).join("\n");
      const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines)]);
      const r = await raw(
        server,
        "POST",
        "/ingest/v1/events",
        { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
        body,
      );
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.accepted, 2);
      const report = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify({ id: "bom", type: "trro.device.online", ctime: Date.now(), data: {} })),
      ]);
      const t = await raw(
        server,
        "POST",
        "/ingest/v1/trro/reports",
        {
          "content-type": "application/x-ndjson",
          "x-trro-project-id": device.projectId,
          "x-trro-device-id": device.deviceId,
          authorization: `Bearer ${device.token}`,
        },
        report,
      );
      assert.equal(t.status, 200, JSON.stringify(t.json));
    });
  });
}
