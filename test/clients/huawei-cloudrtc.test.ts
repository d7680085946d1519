// Huawei's official cloudrtc Python client (huaweicloud-sdk-python-v3, ../shared/clients):
// ListRtcClientQosDetails against a real `roomledger serve`, its answers and its errors
// (missing and bad parameters, unknown app, AK/SK and project failures), each checked
// against what the Node SDK core gets for the same query.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { hcClient, huaweiError, qosDetails, type HuaweiCredentialOptions } from "../support/huawei.ts";
import { runScript, skipUnlessAvailable } from "./python.ts";

const skip = skipUnlessAvailable("huawei-cloudrtc");

const H = 3600_000;
const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;

type Params = Record<string, string | number>;
interface Case {
  name: string;
  params: Params;
  /** "ok", or [HTTP status, error_code]. */
  expect: "ok" | [number, string];
  cred?: HuaweiCredentialOptions;
}
type PyResult = {
  ok?: { status: number; requestId: string; body: { room_id?: string; data?: unknown[] } };
  error?: { status: number; code: string; message: string; requestId: string };
};

describe("Huawei cloudrtc Python client: ListRtcClientQosDetails", { skip }, () => {
  let server: TestServer;
  let appId: string;
  let base: number;
  before(async () => {
    server = await startServer();
    appId = await server.createApp(["rtc"]);
    const key = await server.ingestKey(appId);
    const { now } = await server.admin<{ now: number }>("GET", "/clock");
    base = Math.floor(now / H) * H - 2 * H;
    const samples: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      samples.push({
        ctime: base + i * 2000 + 123,
        room_id: "room-1",
        uid: "alice",
        stream_id: "cam",
        metrics: { appcpu: 10 + i, vbit: 800.5 + i },
      });
      samples.push({
        ctime: base + i * 2000,
        room_id: "room-1",
        uid: "alice",
        peer_id: "bob",
        stream_id: "cam",
        direction: "downlink",
        metrics: { vbit: 700 + i, vloss: 0.5 },
      });
    }
    samples.push({ ctime: base, room_id: "room-1", uid: "bob", metrics: { abit: 32, aloss: 0 } });
    const r = await fetch(`${server.url}/ingest/v1/rtc/qos`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
      body: samples.map((s) => JSON.stringify(s)).join("\n"),
    });
    assert.equal(r.status, 200, await r.text());
  });
  after(() => server?.stop());

  test("answers and errors are the Node SDK core's, typed by the Python models", async () => {
    const hour = { app_id: appId, room_id: "room-1", start_time: iso(base), end_time: iso(base + H - 1000) };
    const full = { ...hour, mid: "appcpu" };
    const without = (name: string): Params => Object.fromEntries(Object.entries(full).filter(([k]) => k !== name));
    const cases: Case[] = [
      { name: "the seed's query", params: full, expect: "ok" },
      { name: "two metrics of one user", params: { ...hour, mid: "vbit,vloss", user_id: "alice" }, expect: "ok" },
      {
        name: "a peer and a direction, limit and offset",
        params: { ...hour, mid: "vbit", user_id: "alice", peer_id: "bob", direction: "downlink", limit: 3, offset: 2 },
        expect: "ok",
      },
      { name: "all metrics, time_type ctime", params: { ...hour, mid: "all", user_id: "bob", time_type: "ctime" }, expect: "ok" },
      { name: "nothing in the window", params: { ...full, user_id: "nobody" }, expect: "ok" },
      ...["app_id", "room_id", "mid", "start_time", "end_time"].map(
        (name): Case => ({
          name: `no ${name}`,
          params: without(name),
          expect: [400, "DATA.100011001"],
        }),
      ),
      { name: "an unknown metric", params: { ...full, mid: "adelay" }, expect: [400, "RTC.00001003"] },
      { name: "limit 1001", params: { ...full, limit: 1001 }, expect: [400, "RTC.00001003"] },
      { name: "end before start", params: { ...full, end_time: iso(base - 1000) }, expect: [400, "RTC.00001003"] },
      { name: "an app that does not exist", params: { ...full, app_id: "ffffffffffffffffffffffff" }, expect: [400, "RTC.00001003"] },
      { name: "a wrong secret key", params: full, expect: [401, "APIGW.0301"], cred: { sk: "not-the-secret" } },
      { name: "an unknown AK", params: full, expect: [401, "APIGW.0301"], cred: { ak: "AKNOSUCHKEY000000000" } },
      { name: "another project", params: full, expect: [403, "APIGW.0302"], cred: { projectId: "0123456789abcdef0123456789abcdef" } },
    ];
    // The reference: the Node SDK core for the same query (its answers are tested in test/rtc).
    const reference: ({ body: unknown } | { error: [number, string, string] })[] = [];
    for (const c of cases) {
      const query = Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, String(v)]));
      if (c.expect === "ok") {
        const { "X-request-id": _id, httpStatusCode: _s, ...body } = await qosDetails(hcClient(server, c.cred), query);
        reference.push({ body });
      } else {
        const e = await huaweiError(qosDetails(hcClient(server, c.cred), query));
        assert.deepEqual([e.httpStatusCode, e.errorCode], c.expect, `${c.name}: the Node SDK core`);
        reference.push({ error: [e.httpStatusCode, e.errorCode, e.errorMsg] });
      }
    }
    const results = await runScript<PyResult[]>("huawei-cloudrtc", "huawei_cloudrtc.py", {
      endpoint: server.url,
      ak: server.secretId,
      sk: server.secretKey,
      projectId: server.huaweiProjectId,
      calls: cases.map((c) => ({
        params: c.params,
        ...(c.cred?.ak ? { ak: c.cred.ak } : {}),
        ...(c.cred?.sk ? { sk: c.cred.sk } : {}),
        ...(c.cred?.projectId ? { projectId: c.cred.projectId } : {}),
      })),
    });
    let errors = 0;
    results.forEach((r, i) => {
      const c = cases[i]!;
      const ref = reference[i]!;
      if ("body" in ref) {
        assert.ok(r.ok, `${c.name}: ${JSON.stringify(r.error)}`);
        assert.equal(r.ok.status, 200);
        assert.match(r.ok.requestId, /^[0-9a-f]{32}$/, `${c.name}: X-Request-Id read by the client`);
        assert.deepEqual(r.ok.body, ref.body, c.name);
      } else {
        assert.ok(r.error, `${c.name}: expected ${c.expect}, the client saw ${JSON.stringify(r.ok)}`);
        // A signature failure quotes the canonical request, which holds each client's own
        // headers (the Python client signs its User-Agent): compared up to that quote.
        const message = (m: string) => m.replace(/canonicalRequest:.*$/s, "canonicalRequest:…");
        assert.deepEqual(
          [r.error.status, r.error.code, message(r.error.message)],
          [ref.error[0], ref.error[1], message(ref.error[2])],
          c.name,
        );
        assert.match(r.error.requestId, /^[0-9a-f]{32}$/, c.name);
        errors++;
      }
    });
    assert.ok((results[0]!.ok!.body.data ?? []).length > 0, "the seed's query answers data");
    console.log(`# huawei-cloudrtc (Python): 1 action (ListRtcClientQosDetails), ${cases.length - errors} answers, ${errors} error cases`);
  });
});
