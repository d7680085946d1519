// The response headers the official SDKs read, on every path of the Tencent gateway: the
// Python SDK and tccli raise Response.Error only when Content-Type is exactly
// `application/json` (abstract_client.py _check_error), the Node SDK copies X-TC-TraceId into
// its errors, and every SDK treats a status other than 200 as a transport failure.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { tc3Post } from "../support/raw-tencent.ts";

describe("Tencent gateway response headers", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
  });
  after(() => server.stop());

  const raw = async (init: RequestInit & { query?: string }) => {
    const res = await fetch(`${server.url}/${init.query ?? ""}`, init);
    const body = (await res.json()) as { Response: Record<string, unknown> };
    return { res, body };
  };

  test("success and every kind of error: 200, Content-Type exactly application/json, the trace id echoed", async () => {
    const answers = [
      // Unsigned POST JSON: AuthFailure.InvalidAuthorization.
      await raw({ method: "POST", headers: { "content-type": "application/json", "x-tc-traceid": "trace-1" }, body: "{}" }),
      // v1 GET without parameters: MissingParameter.
      await raw({ method: "GET", headers: { "x-tc-traceid": "trace-1" } }),
      // An unsupported method (the gateway's own error).
      await raw({ method: "PUT", headers: { "x-tc-traceid": "trace-1" }, body: "x" }),
      // A body beyond the TC3 limit: answered by the gateway's error handler.
      await raw({
        method: "POST",
        headers: { "content-type": "application/json", "x-tc-traceid": "trace-1" },
        body: "x".repeat(10 * 1024 * 1024 + 1),
      }),
    ];
    for (const { res, body } of answers) {
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/json", JSON.stringify(body));
      assert.equal(res.headers.get("x-tc-traceid"), "trace-1");
      assert.ok((body.Response.Error as { Code: string }).Code, JSON.stringify(body));
    }
    const codes = answers.map((a) => (a.body.Response.Error as { Code: string }).Code);
    assert.deepEqual(codes, ["AuthFailure.InvalidAuthorization", "MissingParameter", "UnsupportedProtocol", "RequestSizeLimitExceeded"]);
  });

  test("signed answers, success and business error, are exactly application/json too", async () => {
    const appId = await server.createApp(["lcic"]);
    const ok = await tc3Post(server, { action: "DescribeDiagnosticEvents", version: "2026-11-01", body: { AppId: appId } });
    const missingRoom = await tc3Post(server, { action: "DescribeRoom", version: "2022-08-17", body: { RoomId: 7 } });
    assert.equal(ok.json.Response.Error, undefined, JSON.stringify(ok.json));
    assert.equal(missingRoom.json.Response.Error?.Code, "ResourceNotFound.Room");
    for (const r of [ok, missingRoom]) {
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/json");
    }
  });
});
