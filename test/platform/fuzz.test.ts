// Property tests: random methods, query strings, headers and bodies at the Tencent gateway
// (`/`) and the ingest API. Every answer must be the protocol's well-formed error envelope
// (Tencent: HTTP 200 + Response.Error + RequestId; ingest: a JSON error with a 4xx), never a
// 500, and the server must still answer afterwards.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient } from "../support/tencent.ts";
import { tc3AuthorizationHeader } from "../../src/protocols/tencent/signature-tc3.ts";
import { v1Signature, v1StringToSign } from "../../src/protocols/tencent/signature-v1.ts";

const VERSION = "2026-11-01";
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

interface Raw {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function send(server: TestServer, r: Raw): Promise<{ status: number; contentType: string; text: string }> {
  // Node's client sends a DELETE/OPTIONS body without framing unless told its length, which
  // is not HTTP at all: always frame it.
  const headers = { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, method: r.method, path: r.path, headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

// Header values the HTTP layer itself accepts (no control characters).
const headerText = fc.string({ unit: fc.constantFrom(..."abcXYZ019 -_=./;:,+%&?*\"'()[]{}@!~`|\\^$#<>".split("")), maxLength: 80 });
const queryText = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."abAZ09=&.%+-_~*'()!$,;:@/?[]".split("")), maxLength: 200 }),
  fc
    .dictionary(
      fc.constantFrom(
        "Action",
        "Version",
        "SecretId",
        "Timestamp",
        "Nonce",
        "Signature",
        "Message",
        "Users.0.Name",
        "A..B",
        "X.1",
        "Tags.0",
        "Tags.100000",
      ),
      headerText,
    )
    .map((d) => new URLSearchParams(d).toString()),
);
const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain",
    "application/json; charset=utf-8",
    "",
  ),
  headerText,
);
const authorization = fc.oneof(
  headerText,
  fc
    .tuple(
      headerText,
      fc.constantFrom("2026-11-22", "1970-01-01", "9999-99-99"),
      fc.constantFrom("content-type;host", "host", "content-type;host;x-tc-action", "a;b"),
    )
    .map(
      ([id, date, signed]) =>
        `TC3-HMAC-SHA256 Credential=${id.replace(/[\s/,]/g, "") || "x"}/${date}/svc/tc3_request, SignedHeaders=${signed}, Signature=${"0".repeat(64)}`,
    ),
);
const body = fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 3 }), fc.constant(""));

const tencentRaw = fc.record({
  method: fc.constantFrom("GET", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
  query: fc.option(queryText, { nil: undefined }),
  headers: fc.record(
    {
      authorization,
      "content-type": contentType,
      "x-tc-action": fc.oneof(fc.constantFrom("Echo", "RaiseInternalError", "DescribeDiagnosticEvents"), headerText),
      "x-tc-version": fc.oneof(fc.constant(VERSION), headerText),
      "x-tc-timestamp": fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }).map(String), headerText),
      "x-tc-region": headerText,
      "x-tc-language": fc.constantFrom("zh-CN", "en-US", "fr"),
      "x-tc-traceid": headerText,
      "x-random": headerText,
    },
    { requiredKeys: [] },
  ),
  body,
});

function assertTencentEnvelope(res: { status: number; contentType: string; text: string }, maySucceed: boolean): void {
  assert.equal(res.status, 200, res.text);
  // Exactly, as the cloud: the Python SDK reads Response.Error only under this header.
  assert.equal(res.contentType, "application/json");
  const json = JSON.parse(res.text);
  assert.equal(typeof json.Response, "object");
  assert.equal(typeof json.Response.RequestId, "string");
  if (json.Response.Error || !maySucceed) {
    assert.equal(typeof json.Response.Error.Code, "string", res.text);
    assert.equal(typeof json.Response.Error.Message, "string");
    assert.notEqual(json.Response.Error.Code, "InternalError", res.text);
  }
}

let server: TestServer;
let ingestKey: string;
before(async () => {
  server = await startServer({ args: ["--rate-limit", "0"] });
  ingestKey = await server.ingestKey(await server.createApp(["lcic"]));
});
after(async () => {
  agent.destroy();
  await server.stop();
});

describe("Tencent gateway", () => {
  test("random requests get an error envelope", async () => {
    await fc.assert(
      fc.asyncProperty(tencentRaw, async (r) => {
        const path = r.query === undefined ? "/" : `/?${r.query}`;
        const headers = { ...r.headers } as Record<string, string>;
        const payload = r.method === "GET" || r.method === "OPTIONS" ? "" : r.body;
        const res = await send(server, { method: r.method, path, headers, body: payload });
        assertTencentEnvelope(res, false);
      }),
      { numRuns: 300 },
    );
  });

  test("correctly signed TC3 requests with random JSON bodies: success or a validation error, never InternalError", async () => {
    const echoish = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          Message: fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)),
          Count: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.string({ maxLength: 5 }), fc.double()),
          Tags: fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 7 }), fc.jsonValue({ maxDepth: 1 })),
          Loud: fc.oneof(fc.boolean(), fc.constantFrom("true", "false", "yes", 1)),
          Level: fc.oneof(fc.constantFrom("low", "high", "mid"), fc.integer()),
          Nested: fc.oneof(
            fc.record({ Id: fc.oneof(fc.integer(), fc.bigInt().map(String), fc.string()) }, { requiredKeys: [] }),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          Unknown: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(echoish, fc.constantFrom("Echo", "DescribeDiagnosticEvents"), async (value, action) => {
        const payload = JSON.stringify(value);
        const timestamp = Math.floor(Date.now() / 1000);
        const host = `127.0.0.1:${server.port}`;
        const auth = tc3AuthorizationHeader({
          method: "POST",
          path: "/",
          query: "",
          headers: { "content-type": "application/json", host },
          payload,
          timestamp,
          service: "roomledger",
          secretKey: server.secretKey,
          secretId: server.secretId,
        });
        const res = await send(server, {
          method: "POST",
          path: "/",
          headers: {
            host,
            authorization: auth,
            "content-type": "application/json",
            "x-tc-action": action,
            "x-tc-version": VERSION,
            "x-tc-timestamp": String(timestamp),
          },
          body: payload,
        });
        assertTencentEnvelope(res, true);
      }),
      { numRuns: 250 },
    );
  });

  test("correctly signed v1 requests with random parameters: an envelope, never InternalError", async () => {
    const params = fc.dictionary(
      fc.oneof(
        fc.constantFrom(
          "Message",
          "Count",
          "Tags.0",
          "Tags.1",
          "Tags.x",
          "Nested.Id",
          "Nested",
          "Nested.Id.0",
          "Level",
          "Loud",
          "Region",
          "Language",
          "Token",
          "a.",
          ".b",
          "Tags.99999",
        ),
        fc.string({ maxLength: 8 }),
      ),
      fc.string({ maxLength: 30 }),
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(params, fc.constantFrom("GET", "POST"), async (p, method) => {
        const all: Record<string, string> = {
          ...p,
          Action: "Echo",
          Version: VERSION,
          SecretId: server.secretId,
          Timestamp: String(Math.floor(Date.now() / 1000)),
          Nonce: "42",
          SignatureMethod: "HmacSHA256",
        };
        all.Signature = v1Signature(server.secretKey, v1StringToSign(method, `127.0.0.1:${server.port}`, "/", all), "HmacSHA256");
        const form = new URLSearchParams(all).toString();
        const res =
          method === "GET"
            ? await send(server, { method, path: `/?${form}`, headers: {}, body: "" })
            : await send(server, { method, path: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
        assertTencentEnvelope(res, true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("ingest API", () => {
  test("random requests get a JSON error with a 4xx (or an acknowledgement), never a 500", async () => {
    const event = fc.record(
      {
        id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
        type: fc.oneof(fc.constant("roomledger.diagnostic"), fc.string({ maxLength: 10 })),
        ctime: fc.oneof(fc.integer(), fc.constant("2026-11-22T10:00:00Z"), fc.string({ maxLength: 10 })),
        data: fc.oneof(fc.record({ seq: fc.integer({ min: -2, max: 10 }) }), fc.jsonValue({ maxDepth: 2 })),
        extra: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    );
    const ingestBody = fc.oneof(
      fc.array(event, { maxLength: 5 }).map((a) => JSON.stringify(a)),
      fc.array(event, { maxLength: 5 }).map((a) => a.map((e) => JSON.stringify(e)).join("\n")),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 200 }),
    );
    const req = fc.record({
      method: fc.constantFrom("POST", "POST", "POST", "GET", "PUT", "DELETE"),
      auth: fc.option(fc.oneof(headerText, fc.constant("valid")), { nil: undefined }),
      contentType: fc.oneof(fc.constantFrom("application/json", "application/x-ndjson", "application/jsonl", "text/plain"), headerText),
      query: fc.option(queryText, { nil: undefined }),
      body: ingestBody,
    });
    await fc.assert(
      fc.asyncProperty(req, async (r) => {
        const headers: Record<string, string> = { "content-type": r.contentType };
        if (r.auth !== undefined) headers.authorization = r.auth === "valid" ? `Bearer ${ingestKey}` : r.auth;
        const path = `/ingest/v1/events${r.query === undefined ? "" : `?${r.query}`}`;
        const res = await send(server, { method: r.method, path, headers, body: r.method === "GET" ? "" : r.body });
        assert.ok(res.status < 500, `${res.status} ${res.text}`);
        const json = JSON.parse(res.text);
        if (res.status === 200) {
          assert.equal(typeof json.accepted, "number");
        } else {
          assert.ok(res.status >= 400, res.text);
          assert.equal(typeof json.error?.code, "string", res.text);
          assert.equal(typeof json.error.message, "string", res.text);
          assert.equal(typeof json.requestId, "string", res.text);
        }
      }),
      { numRuns: 300 },
    );
  });
});

test("the server still answers after all that", async () => {
  const res = (await commonClient(server, VERSION).request("Echo", { Message: "alive" })) as Record<string, unknown>;
  assert.equal(res.Message, "alive");
  assert.equal(server.proc.exitCode, null);
});
