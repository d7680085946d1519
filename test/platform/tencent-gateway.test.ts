// The Tencent Cloud API 3.0 gateway driven by the official SDKs as black-box clients.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient, sdkError } from "../support/tencent.ts";

const VERSION = "2026-11-01";

describe("Tencent gateway through tencentcloud-sdk-nodejs", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  for (const reqMethod of ["POST", "GET"] as const) {
    test(`TC3 ${reqMethod}: a call answers with Response and RequestId`, async () => {
      const client = commonClient(server, VERSION, { reqMethod, region: "ap-guangzhou" });
      const res = (await client.request("Echo", { Message: "a b&c", Tags: ["x", "y"], Nested: { Id: 7 }, Count: 3 })) as Record<string, unknown>;
      assert.equal(res.Message, "a b&c");
      assert.deepEqual(res.Tags, ["x", "y"]);
      assert.equal(res.NestedId, 7);
      assert.equal(res.Count, 3);
      assert.equal(res.Region, "ap-guangzhou");
      assert.match(String(res.RequestId), /^[0-9a-f-]{36}$/);
    });
  }

  for (const signMethod of ["HmacSHA1", "HmacSHA256"] as const) {
    test(`v1 ${signMethod}: form POST is verified and answered`, async () => {
      const client = commonClient(server, VERSION, { signMethod });
      const res = (await client.request("Echo", { Message: "v1 + =&", Loud: true })) as Record<string, unknown>;
      assert.equal(res.Message, "V1 + =&");
    });
  }

  test("a wrong SecretKey is AuthFailure.SignatureFailure", async () => {
    const err = await sdkError(commonClient(server, VERSION, { secretKey: "wrong" }).request("Echo", { Message: "x" }));
    assert.equal(err.code, "AuthFailure.SignatureFailure");
    assert.equal(err.message, "The provided credentials could not be validated. Please check your signature is correct.");
    assert.ok(err.requestId);
  });

  test("an unknown SecretId is AuthFailure.SecretIdNotFound", async () => {
    const err = await sdkError(commonClient(server, VERSION, { secretId: "AKIDnope" }).request("Echo", { Message: "x" }));
    assert.equal(err.code, "AuthFailure.SecretIdNotFound");
  });

  test("validation: missing, wrong type, out of range, unknown", async () => {
    const c = commonClient(server, VERSION);
    assert.equal((await sdkError(c.request("Echo", {}))).code, "MissingParameter");
    const typeErr = await sdkError(c.request("Echo", { Message: 5 }));
    assert.equal(typeErr.code, "InvalidParameter");
    assert.equal(typeErr.message, "Parameter `Message` type error.");
    assert.equal((await sdkError(c.request("Echo", { Message: "x", Count: 101 }))).code, "InvalidParameterValue");
    const unknown = await sdkError(c.request("Echo", { Message: "x", ActionTimer: 1 }));
    assert.equal(unknown.code, "UnknownParameter");
    assert.equal(unknown.message, "The parameter `ActionTimer` is not recognized");
  });

  test("unknown action and unknown version", async () => {
    assert.equal((await sdkError(commonClient(server, VERSION).request("Nope", {}))).code, "InvalidAction");
    assert.equal((await sdkError(commonClient(server, "1999-01-01").request("Echo", { Message: "x" }))).code, "NoSuchVersion");
  });
});
