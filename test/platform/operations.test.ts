// Operations: /healthz, /metrics (per-action counts, latency histogram, error codes), the
// OpenAPI document at /docs/json, and graceful shutdown (SIGTERM answers the request in flight).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startServer, type TestServer } from "../support/server.ts";
import { commonClient, sdkError } from "../support/tencent.ts";
import { diagnostic, postEvents } from "../support/ingest.ts";

const VERSION = "2026-11-01";
let server: TestServer;
let key: string;
before(async () => {
  server = await startServer({ args: ["--rate-limit", "0"] });
  key = await server.ingestKey(await server.createApp(["lcic"]));
});
after(() => server.stop());

test("/healthz answers ok with the version, the storage in use and the products served", async () => {
  const res = await fetch(`${server.url}/healthz`);
  assert.equal(res.status, 200);
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  assert.deepEqual(await res.json(), {
    status: "ok",
    version,
    node: process.versions.node,
    storage: "pglite",
    inMemory: false,
    dev: true,
    products: ["roomledger", "lcic", "tiw", "gme", "trro", "rtc"],
  });
});

test("/metrics: per-action request counts, latency histogram, error codes, ingest outcomes", async () => {
  const c = commonClient(server, VERSION);
  for (let i = 0; i < 3; i++) await c.request("Echo", { Message: "m" });
  await sdkError(c.request("Echo", { Message: 1 }));
  await sdkError(c.request("NoSuchThing", {}));
  await postEvents(server, key, JSON.stringify([diagnostic("m-1", 1), diagnostic("m-1", 1)]));
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const value = (line: string): number => {
    const m = new RegExp(`^${line.replace(/[{}()[\].+*?^$|\\]/g, "\\$&")} (\\S+)$`, "m").exec(text);
    assert.ok(m, `no metric line ${line}`);
    return Number(m[1]);
  };
  assert.equal(value('roomledger_api_requests_total{protocol="tencent",service="roomledger",action="Echo",code="OK"}'), 3);
  assert.equal(value('roomledger_api_requests_total{protocol="tencent",service="roomledger",action="Echo",code="InvalidParameter"}'), 1);
  // An unknown action is counted under "unknown": callers cannot grow the label set.
  assert.equal(value('roomledger_api_requests_total{protocol="tencent",service="roomledger",action="unknown",code="InvalidAction"}'), 1);
  assert.equal(value('roomledger_api_request_duration_seconds_count{protocol="tencent",service="roomledger",action="Echo"}'), 4);
  assert.equal(value('roomledger_api_request_duration_seconds_bucket{le="+Inf",protocol="tencent",service="roomledger",action="Echo"}'), 4);
  assert.equal(value('roomledger_ingest_events_total{outcome="accepted"}'), 1);
  assert.equal(value('roomledger_ingest_events_total{outcome="duplicate"}'), 1);
  assert.match(text, /^process_cpu_seconds_total /m);
});

test("/docs/json is an OpenAPI document listing the ingest route; /docs serves the UI", async () => {
  const doc = (await (await fetch(`${server.url}/docs/json`)).json()) as any;
  assert.match(doc.openapi, /^3\./);
  const route = doc.paths["/ingest/v1/events"];
  assert.ok(route?.post, JSON.stringify(Object.keys(doc.paths)));
  assert.deepEqual(route.post.security, [{ ingestKey: [] }]);
  assert.ok(route.post.requestBody.content["application/json"]);
  assert.equal(route.get, undefined, "the 405 helper route is hidden");
  const ui = await fetch(`${server.url}/docs`);
  assert.equal(ui.status, 200);
  assert.match(await ui.text(), /<html/i);
});

test("graceful shutdown: SIGTERM while a request is in flight still answers it", async () => {
  const body = JSON.stringify([diagnostic("g-1", 1), diagnostic("g-2", 2)]);
  const half = Math.floor(body.length / 2);
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: "/ingest/v1/events",
        headers: { "content-type": "application/json", "content-length": String(body.length), authorization: `Bearer ${key}` },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.write(body.slice(0, half));
    // The rest of the body arrives after the server was told to stop.
    setTimeout(() => req.end(body.slice(half)), 600);
  });
  await sleep(200);
  const exited = new Promise<number | null>((r) => server.proc.once("exit", (code) => r(code)));
  server.proc.kill("SIGTERM");
  const res = await answer;
  assert.equal(res.status, 200, res.text);
  assert.equal(JSON.parse(res.text).accepted, 2);
  assert.equal(await exited, 0);
  assert.match(server.output(), /SIGTERM: finishing requests and jobs in flight/);
});
