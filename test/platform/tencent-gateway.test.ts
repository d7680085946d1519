// The Tencent Cloud API 3.0 gateway driven by the official SDKs as black-box clients
// (tencentcloud-sdk-nodejs and tencentcloud-sdk-nodejs-intl-en), and by raw signed requests
// only where no SDK can produce the case. The rate limit is lifted here (its own file tests it).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient, sdkError } from "../support/tencent.ts";
import { intlClient } from "../support/tencent-intl.ts";
import { tc3Post, v1Request } from "../support/raw-tencent.ts";

const VERSION = "2026-11-01";
const MSG = {
  signatureFailure: "The provided credentials could not be validated. Please check your signature is correct.",
  signatureExpire: "The signature is expired, please request again.",
  secretIdNotFound: "The SecretId is not found, please ensure that your SecretId is correct.",
};

let server: TestServer;
before(async () => {
  server = await startServer({ args: ["--rate-limit", "0"] });
});
after(() => server.stop());

describe("tencentcloud-sdk-nodejs", () => {
  for (const reqMethod of ["POST", "GET"] as const) {
    test(`TC3 ${reqMethod}: a call answers with Response and RequestId`, async () => {
      const client = commonClient(server, VERSION, { reqMethod, region: "ap-guangzhou" });
      const res = (await client.request("Echo", { Message: "a b&c", Tags: ["x", "y"], Nested: { Id: 7 }, Count: 3 })) as Record<
        string,
        unknown
      >;
      assert.equal(res.Message, "a b&c");
      assert.deepEqual(res.Tags, ["x", "y"]);
      assert.equal(res.NestedId, 7);
      assert.equal(res.Count, 3);
      assert.equal(res.Region, "ap-guangzhou");
      assert.match(String(res.RequestId), /^[0-9a-f-]{36}$/);
    });
  }

  for (const signMethod of ["HmacSHA1", "HmacSHA256"] as const) {
    for (const reqMethod of ["POST", "GET"] as const) {
      test(`v1 ${signMethod} ${reqMethod}: verified and answered; RequestClient/Nonce are not business parameters`, async () => {
        const client = commonClient(server, VERSION, { signMethod, reqMethod, region: "ap-beijing" });
        const res = (await client.request("Echo", { Message: "v1 + =&", Loud: true, Tags: ["p"] })) as Record<string, unknown>;
        assert.equal(res.Message, "V1 + =&");
        assert.deepEqual(res.Tags, ["p"]);
        assert.equal(res.Region, "ap-beijing");
      });
    }
  }

  test("no region: Region is null in the answer", async () => {
    const res = (await commonClient(server, VERSION).request("Echo", { Message: "x" })) as Record<string, unknown>;
    assert.equal(res.Region, null);
  });
});

describe("tencentcloud-sdk-nodejs-intl-en", () => {
  test("default (v1 HmacSHA256, POST, Language=en-US and RequestClient added)", async () => {
    const res = await intlClient(server).call("Echo", { Message: "intl", Count: 2 });
    assert.equal(res.Message, "intl");
    assert.equal(res.Count, 2);
    assert.match(String(res.RequestId), /^[0-9a-f-]{36}$/);
  });

  test("v1 HmacSHA1 GET with a region", async () => {
    const res = await intlClient(server, { signMethod: "HmacSHA1", reqMethod: "GET", region: "ap-singapore" }).call("Echo", {
      Message: "g",
      Tags: ["a", "b"],
    });
    assert.deepEqual(res.Tags, ["a", "b"]);
    assert.equal(res.Region, "ap-singapore");
  });

  for (const reqMethod of ["POST", "GET"] as const) {
    test(`TC3 ${reqMethod} without a region sends X-TC-Region: null, read as no region`, async () => {
      const res = await intlClient(server, { signMethod: "TC3-HMAC-SHA256", reqMethod }).call("Echo", { Message: "t", Nested: { Id: 9 } });
      assert.equal(res.Region, null);
      assert.equal(res.NestedId, 9);
    });
  }

  test("errors surface on err.code: SignatureFailure (v1), InvalidAction, UnknownParameter", async () => {
    const bad = await sdkError(intlClient(server, { secretKey: "wrong" }).call("Echo", { Message: "x" }));
    assert.equal(bad.code, "AuthFailure.SignatureFailure");
    assert.equal(bad.message, MSG.signatureFailure);
    assert.equal((await sdkError(intlClient(server).call("Nope", {}))).code, "InvalidAction");
    const unknown = await sdkError(intlClient(server).call("Echo", { Message: "x", Extra: 1 }));
    assert.equal(unknown.code, "UnknownParameter");
    assert.equal(unknown.message, "The parameter `Extra` is not recognized");
  });

  test("X-TC-Language: zh-CN wins over the Language=en-US parameter the SDK always adds", async () => {
    const err = await sdkError(intlClient(server, { headers: { "X-TC-Language": "zh-CN" } }).call("Echo", {}));
    assert.equal(err.code, "MissingParameter");
    assert.equal(err.message, "缺少参数 `Message`。");
  });
});

describe("common errors", () => {
  test("AuthFailure.SignatureFailure (wrong SecretKey), TC3 and v1", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA256"] as const) {
      const err = await sdkError(commonClient(server, VERSION, { secretKey: "wrong", signMethod }).request("Echo", { Message: "x" }));
      assert.equal(err.code, "AuthFailure.SignatureFailure");
      assert.equal(err.message, MSG.signatureFailure);
      assert.match(String(err.requestId), /^[0-9a-f-]{36}$/);
    }
  });

  test("AuthFailure.SignatureFailure when the signed body is not the body sent", async () => {
    const ok = await tc3Post(server, { action: "Echo", version: VERSION, body: { Message: "x" } });
    assert.equal(ok.json.Response.Message, "x");
  });

  test("AuthFailure.SignatureExpire: a correctly signed request 6 minutes old (TC3 and v1)", async () => {
    const old = Math.floor(Date.now() / 1000) - 360;
    const tc3 = await tc3Post(server, { action: "Echo", version: VERSION, body: { Message: "x" }, timestamp: old });
    assert.equal(tc3.status, 200);
    assert.equal(tc3.json.Response.Error?.Code, "AuthFailure.SignatureExpire");
    assert.equal(tc3.json.Response.Error?.Message, MSG.signatureExpire);
    const future = await tc3Post(server, { action: "Echo", version: VERSION, body: { Message: "x" }, timestamp: old + 720 });
    assert.equal(future.json.Response.Error?.Code, "AuthFailure.SignatureExpire");
    const v1 = await v1Request(server, "POST", { Action: "Echo", Version: VERSION, Message: "x", Timestamp: String(old) });
    assert.equal(v1.json.Response.Error?.Code, "AuthFailure.SignatureExpire");
    // 4 minutes old is inside the window.
    const inside = await tc3Post(server, { action: "Echo", version: VERSION, body: { Message: "x" }, timestamp: old + 120 });
    assert.equal(inside.json.Response.Message, "x");
  });

  test("AuthFailure.SecretIdNotFound (TC3 and v1)", async () => {
    for (const signMethod of ["TC3-HMAC-SHA256", "HmacSHA1"] as const) {
      const err = await sdkError(commonClient(server, VERSION, { secretId: "AKIDnope", signMethod }).request("Echo", { Message: "x" }));
      assert.equal(err.code, "AuthFailure.SecretIdNotFound");
      assert.equal(err.message, MSG.secretIdNotFound);
    }
  });

  test("answers and errors carry Content-Type exactly application/json (the Python SDK reads errors only then)", async () => {
    const ok = await tc3Post(server, { action: "Echo", version: VERSION, body: { Message: "ü" } });
    const err = await tc3Post(server, { action: "Nope", version: VERSION, body: {} });
    assert.equal(ok.json.Response.Message, "ü");
    assert.equal(err.json.Response.Error?.Code, "InvalidAction");
    for (const r of [ok, err]) assert.equal(r.headers.get("content-type"), "application/json");
  });

  test("AuthFailure.InvalidAuthorization: malformed header, or JSON POST without one", async () => {
    for (const authorization of ["Bearer abc", "TC3-HMAC-SHA256 Credential=x", ""]) {
      const res = await fetch(`${server.url}/`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", "x-tc-action": "Echo", "x-tc-version": VERSION },
        body: "{}",
      });
      assert.equal(res.status, 200);
      const json = (await res.json()) as any;
      assert.equal(json.Response.Error.Code, "AuthFailure.InvalidAuthorization", authorization);
    }
    const none = await fetch(`${server.url}/`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(((await none.json()) as any).Response.Error.Code, "AuthFailure.InvalidAuthorization");
  });

  test("InvalidAction and NoSuchVersion", async () => {
    const action = await sdkError(commonClient(server, VERSION).request("Nope", {}));
    assert.equal(action.code, "InvalidAction");
    assert.equal(action.message, "The request action=`Nope` is invalid or not found in service=`roomledger` and version=`2026-11-01`.");
    const version = await sdkError(commonClient(server, "1999-01-01").request("Echo", { Message: "x" }));
    assert.equal(version.code, "NoSuchVersion");
    assert.equal(version.message, "The API version `1999-01-01` does not exist.");
  });

  test("MissingParameter: a business parameter (SDK), a v1 common parameter, X-TC-Action (raw)", async () => {
    const err = await sdkError(commonClient(server, VERSION).request("Echo", {}));
    assert.equal(err.code, "MissingParameter");
    assert.equal(err.message, "The request is missing a required parameter `Message`.");
    const nested = await sdkError(commonClient(server, VERSION).request("Echo", { Message: "x", Nested: {} }));
    assert.equal(nested.message, "The request is missing a required parameter `Nested.Id`.");
    const v1 = await v1Request(server, "GET", { Version: VERSION, Message: "x" });
    assert.equal(v1.json.Response.Error?.Code, "MissingParameter");
    assert.equal(v1.json.Response.Error?.Message, "The request is missing a required parameter `Action`.");
  });

  test("InvalidParameter: wrong types, JSON and form", async () => {
    const c = commonClient(server, VERSION);
    const typeErr = await sdkError(c.request("Echo", { Message: 5 }));
    assert.equal(typeErr.code, "InvalidParameter");
    assert.equal(typeErr.message, "Parameter `Message` type error.");
    assert.equal((await sdkError(c.request("Echo", { Message: "x", Count: "abc" }))).message, "Parameter `Count` type error.");
    assert.equal((await sdkError(c.request("Echo", { Message: "x", Loud: "maybe" }))).message, "Parameter `Loud` type error.");
    assert.equal((await sdkError(c.request("Echo", { Message: "x", Tags: "a" }))).message, "Parameter `Tags` type error.");
    const get = await sdkError(commonClient(server, VERSION, { reqMethod: "GET" }).request("Echo", { Message: "x", Count: "1.5" }));
    assert.equal(get.code, "InvalidParameter");
    // Integers must be below 2^53.
    const big = await sdkError(c.request("Echo", { Message: "x", Nested: { Id: "9007199254740993" } }));
    assert.equal(big.code, "InvalidParameterValue");
  });

  test("InvalidParameterValue: out of range, too long, not in the enum, too many items", async () => {
    const c = commonClient(server, VERSION);
    const range = await sdkError(c.request("Echo", { Message: "x", Count: 101 }));
    assert.equal(range.code, "InvalidParameterValue");
    assert.equal(range.message, "The value of parameter `Count` is invalid: must be at most 100.");
    assert.equal((await sdkError(c.request("Echo", { Message: "x".repeat(65) }))).code, "InvalidParameterValue");
    assert.equal((await sdkError(c.request("Echo", { Message: "x", Level: "mid" }))).code, "InvalidParameterValue");
    assert.equal((await sdkError(c.request("Echo", { Message: "x", Tags: ["1", "2", "3", "4", "5", "6"] }))).code, "InvalidParameterValue");
  });

  test("UnknownParameter, but not the v1 common parameters", async () => {
    const unknown = await sdkError(commonClient(server, VERSION).request("Echo", { Message: "x", ActionTimer: 1 }));
    assert.equal(unknown.code, "UnknownParameter");
    assert.equal(unknown.message, "The parameter `ActionTimer` is not recognized");
    const nested = await sdkError(
      commonClient(server, VERSION, { signMethod: "HmacSHA1" }).request("Echo", { Message: "x", Nested: { Id: 1, Zz: 2 } }),
    );
    assert.equal(nested.message, "The parameter `Nested.Zz` is not recognized");
    // Every v1 common parameter at once, by hand: none is taken for a business parameter.
    const res = await v1Request(server, "POST", {
      Action: "Echo",
      Version: VERSION,
      Region: "ap-guangzhou",
      Language: "en-US",
      RequestClient: "SDK_TEST_1",
      SignatureMethod: "HmacSHA256",
      Token: "",
      Message: "common",
    });
    assert.equal(res.json.Response.Message, "common");
  });

  test("UnsupportedProtocol: other HTTP methods, other content types", async () => {
    for (const method of ["PUT", "DELETE", "PATCH"]) {
      const res = await fetch(`${server.url}/`, { method, headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(res.status, 200, method);
      assert.equal(((await res.json()) as any).Response.Error.Code, "UnsupportedProtocol", method);
    }
    const text = await tc3Post(server, { action: "Echo", version: VERSION, body: { Message: "x" }, contentType: "text/plain" });
    assert.equal(text.json.Response.Error?.Code, "UnsupportedProtocol");
    // The content type is signed: changing it after signing breaks the signature first.
    const changed = await tc3Post(server, { action: "Echo", version: VERSION, body: {}, headers: { "content-type": "text/plain" } });
    assert.equal(changed.json.Response.Error?.Code, "AuthFailure.SignatureFailure");
  });

  test("RequestSizeLimitExceeded: v1 POST over 1 MB, GET over 32 KB (SDK), TC3 POST over 10 MB", async () => {
    const v1 = await sdkError(
      commonClient(server, VERSION, { signMethod: "HmacSHA256" }).request("Echo", { Message: "x".repeat(1_100_000) }),
    );
    assert.equal(v1.code, "RequestSizeLimitExceeded");
    const get = await sdkError(commonClient(server, VERSION, { reqMethod: "GET" }).request("Echo", { Message: "x".repeat(40_000) }));
    assert.equal(get.code, "RequestSizeLimitExceeded");
    // Under the GET limit but over Node's default 16 KB header limit: still an API answer.
    const mid = await sdkError(commonClient(server, VERSION, { reqMethod: "GET" }).request("Echo", { Message: "x".repeat(20_000) }));
    assert.equal(mid.code, "InvalidParameterValue");
    const tc3 = await sdkError(commonClient(server, VERSION).request("Echo", { Message: "x".repeat(10_500_000) }));
    assert.equal(tc3.code, "RequestSizeLimitExceeded");
    assert.equal(tc3.message, "The request size exceeds the limit of 10485760 bytes.");
  });

  test("InternalError from a handler that fails unexpectedly; the server keeps serving", async () => {
    const err = await sdkError(commonClient(server, VERSION).request("RaiseInternalError", {}));
    assert.equal(err.code, "InternalError");
    assert.equal(err.message, "An internal error occurred.");
    assert.match(String(err.requestId), /^[0-9a-f-]{36}$/);
    const res = (await commonClient(server, VERSION).request("Echo", { Message: "still here" })) as Record<string, unknown>;
    assert.equal(res.Message, "still here");
  });

  test("messages in zh-CN per X-TC-Language (TC3) and Language (v1)", async () => {
    const tc3 = await sdkError(commonClient(server, VERSION, { language: "zh-CN" }).request("Echo", { Message: 1 }));
    assert.equal(tc3.code, "InvalidParameter");
    assert.equal(tc3.message, "参数 `Message` 类型错误。");
    const v1 = await sdkError(
      commonClient(server, VERSION, { language: "zh-CN", signMethod: "HmacSHA1", secretKey: "bad" }).request("Echo", { Message: "x" }),
    );
    assert.equal(v1.message, "请求签名验证失败，请检查您的签名计算是否正确。");
    const raw = await v1Request(server, "GET", { Action: "Nope", Version: VERSION, Language: "zh-CN" });
    assert.equal(raw.json.Response.Error?.Code, "InvalidAction");
    assert.match(raw.json.Response.Error!.Message, /^接口 action=`Nope` 不存在/);
    const en = await sdkError(commonClient(server, VERSION, { language: "en-US" }).request("Echo", { Message: 1 }));
    assert.equal(en.message, "Parameter `Message` type error.");
  });

  test("the signature window follows the wall clock, not the (advanced) domain clock", async () => {
    const before = (await commonClient(server, VERSION).request("Echo", { Message: "t" })) as { Now: number };
    await server.advance(3600);
    const after = (await commonClient(server, VERSION).request("Echo", { Message: "t" })) as { Now: number };
    assert.ok(after.Now - before.Now >= 3600, `${before.Now} -> ${after.Now}`);
    const old = await tc3Post(server, {
      action: "Echo",
      version: VERSION,
      body: { Message: "x" },
      timestamp: Math.floor(Date.now() / 1000) - 400,
    });
    assert.equal(old.json.Response.Error?.Code, "AuthFailure.SignatureExpire");
  });

  test("X-TC-TraceId is echoed, on success and on error", async () => {
    const ok = await tc3Post(server, {
      action: "Echo",
      version: VERSION,
      body: { Message: "x" },
      headers: { "x-tc-traceid": "trace-ok-1" },
    });
    assert.equal(ok.headers.get("x-tc-traceid"), "trace-ok-1");
    const bad = await tc3Post(server, { action: "Nope", version: VERSION, headers: { "x-tc-traceid": "trace-err-2" } });
    assert.equal(bad.headers.get("x-tc-traceid"), "trace-err-2");
    assert.equal(bad.json.Response.Error?.Code, "InvalidAction");
    // The SDK reads it back into err.traceId.
    const err = (await sdkError(commonClient(server, VERSION).request("Nope", {}))) as { traceId?: string };
    assert.match(String(err.traceId), /^[0-9a-f-]{36}$/);
  });
});
