// ListRtcClientQosDetails black box: a real `roomledger serve`, samples sent through the NDJSON
// ingest endpoint, answers read through the real Huawei SDK core (signer, HTTP client, error
// mapping), on every storage backend. Tests that move the development clock come last.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { backends, postgresAvailable } from "../support/postgres.ts";
import { BIN, startServer, type TestServer } from "../support/server.ts";
import { hcClient, huaweiError, qosDetails, type QosDetails } from "../support/huawei.ts";

const H = 3600_000;
const DAY = 24 * H;
const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;
const PATH = (project: string) => `/v1/${project}/rtc/client/qos/details`;

interface Sample {
  ctime: number;
  room_id: string;
  uid: string;
  peer_id?: string;
  stream_id?: string;
  direction?: string;
  metrics: Record<string, number>;
}

async function ingest(server: TestServer, key: string, samples: Sample[]): Promise<Record<string, number>> {
  const r = await fetch(`${server.url}/ingest/v1/rtc/qos`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    body: samples.map((s) => JSON.stringify(s)).join("\n"),
  });
  const body = (await r.json()) as Record<string, number>;
  assert.equal(r.status, 200, JSON.stringify(body));
  return body;
}

/** Strips what the SDK adds to a success body. */
function wire(res: QosDetails): { room_id?: string; data?: QosDetails["data"] } {
  const { "X-request-id": _id, httpStatusCode: _status, ...body } = res;
  return body;
}

for (const backend of backends()) {
  describe(`ListRtcClientQosDetails (${backend})`, () => {
    let server: TestServer;
    let appId: string;
    let key: string;
    let base: number; // an hour boundary two hours before the domain clock's now
    let samples: Sample[];

    before(async () => {
      server = await startServer({ backend });
      appId = await server.createApp(["rtc"]);
      key = await server.ingestKey(appId);
      const { now } = await server.admin<{ now: number }>("GET", "/clock");
      base = Math.floor(now / H) * H - 2 * H;
      samples = [];
      for (let i = 0; i < 10; i++) {
        // ctime with milliseconds: the answer shows whole seconds.
        samples.push({
          ctime: base + i * 2000 + 123,
          room_id: "room-1",
          uid: "alice",
          stream_id: "cam",
          metrics: { appcpu: 10 + i, vbit: 800.5 + i, vfps: 30 },
        });
      }
      for (let i = 0; i < 2; i++)
        samples.push({ ctime: base + i * 2000, room_id: "room-1", uid: "alice", stream_id: "screen", metrics: { dbit: 100 + i } });
      for (let i = 0; i < 5; i++) {
        samples.push({
          ctime: base + i * 2000,
          room_id: "room-1",
          uid: "alice",
          peer_id: "bob",
          stream_id: "cam",
          direction: "downlink",
          metrics: { vbit: 700 + i, vloss: 0.5 },
        });
        samples.push({ ctime: base + i * 2000, room_id: "room-1", uid: "bob", metrics: { abit: 32, aloss: 0 } });
      }
      // The last second of the hour, and another room.
      samples.push({ ctime: base + H - 1000, room_id: "room-1", uid: "bob", metrics: { abit: 31 } });
      samples.push({ ctime: base, room_id: "room-2", uid: "carol", metrics: { appcpu: 5 } });
      const ack = await ingest(server, key, samples);
      assert.deepEqual([ack.received, ack.accepted, ack.duplicates], [samples.length, samples.length, 0]);
    });
    after(() => server.stop());

    const hour = () => ({ app_id: appId, room_id: "room-1", start_time: iso(base), end_time: iso(base + H - 1000) });

    test("the seed's example request, answered in the seed's shape", async () => {
      const res = await qosDetails(hcClient(server), { ...hour(), mid: "appcpu" });
      assert.equal(res.httpStatusCode, 200);
      assert.match(String(res["X-request-id"]), /^[0-9a-f]{32}$/);
      assert.deepEqual(wire(res), {
        room_id: "room-1",
        data: [
          {
            uid: "alice",
            peerid: "0",
            mid: "appcpu",
            data: Array.from({ length: 10 }, (_, i) => ({ time: iso(base + i * 2000), value: 10 + i })),
          },
        ],
      });
    });

    test("mid comma-separated, repeated (an array), and all; series order", async () => {
      const client = hcClient(server);
      const comma = await qosDetails(client, { ...hour(), mid: "vbit,dbit", user_id: "alice" });
      const repeated = await qosDetails(client, { ...hour(), mid: ["dbit", "vbit"], user_id: "alice" });
      assert.deepEqual(wire(comma), wire(repeated));
      const order = (comma.data ?? []).map((s) => `${s.uid}/${s.peerid}/${s.mid}/${s.data.length}`);
      // Streams in order (uid, peerid, stream, direction), then metrics in catalogue order.
      assert.deepEqual(order, ["alice/0/vbit/10", "alice/0/dbit/2", "alice/bob/vbit/5"]);
      assert.equal(comma.data![0]!.data[0]!.value, 800.5);
      const all = await qosDetails(client, { ...hour(), mid: "all", user_id: "bob" });
      assert.deepEqual(
        (all.data ?? []).map((s) => s.mid),
        ["abit", "aloss"],
      );
      assert.equal(all.data![0]!.data.at(-1)!.time, iso(base + H - 1000), "end_time is inclusive");
    });

    test("user_id, peer_id, stream_id, direction filter; domain is accepted", async () => {
      const client = hcClient(server);
      const keys = async (q: Record<string, string>) =>
        ((await qosDetails(client, { ...hour(), mid: "all", ...q })).data ?? []).map((s) => `${s.uid}/${s.peerid}/${s.mid}`);
      assert.deepEqual(await keys({ peer_id: "bob" }), ["alice/bob/vbit", "alice/bob/vloss"]);
      assert.deepEqual(await keys({ user_id: "alice", direction: "downlink" }), ["alice/bob/vbit", "alice/bob/vloss"]);
      assert.deepEqual(await keys({ user_id: "alice", stream_id: "screen" }), ["alice/0/dbit"]);
      assert.deepEqual(await keys({ user_id: "bob", direction: "uplink", domain: "x.sparkrtc.myhuaweicloud.com" }), [
        "bob/0/abit",
        "bob/0/aloss",
      ]);
      assert.deepEqual(await keys({ user_id: "nobody" }), []);
      const other = await qosDetails(client, { ...hour(), room_id: "room-2", mid: "appcpu" });
      assert.deepEqual(wire(other), {
        room_id: "room-2",
        data: [{ uid: "carol", peerid: "0", mid: "appcpu", data: [{ time: iso(base), value: 5 }] }],
      });
    });

    test("limit and offset page over the entries of data", async () => {
      const client = hcClient(server);
      const all = (await qosDetails(client, { ...hour(), mid: "all" })).data ?? [];
      assert.equal(all.length, 8);
      const page = await qosDetails(client, { ...hour(), mid: "all", limit: 3, offset: 2 });
      assert.deepEqual(page.data, all.slice(2, 5));
      const single = await qosDetails(client, { ...hour(), mid: "all", user_id: "alice", limit: 2, offset: 1 });
      assert.deepEqual(single.data, all.filter((s) => s.uid === "alice").slice(1, 3));
      assert.deepEqual((await qosDetails(client, { ...hour(), mid: "all", offset: 8 })).data, []);
    });

    test("an answer of more than 500,000 points: 400 RTC.00001003; a lower limit or fewer metrics answer", async () => {
      // 22,000 samples of all 23 metrics in one hour (506,000 points), in another room.
      const all23 = [
        "appcpu",
        "syscpu",
        "abit",
        "ablock",
        "aloss",
        "ajitter",
        "artt",
        "vbit",
        "vfps",
        "vblock",
        "vloss",
        "vwidth",
        "vheight",
        "vjitter",
        "vrtt",
        "dbit",
        "dfps",
        "dblock",
        "dloss",
        "dwidth",
        "dheight",
        "djitter",
        "drtt",
      ];
      const big: Sample[] = [];
      for (let i = 0; i < 22_000; i++) {
        big.push({
          ctime: base + i * 163,
          room_id: "room-big",
          uid: "big",
          metrics: Object.fromEntries(all23.map((m, j) => [m, (i + j) % 100])),
        });
      }
      assert.equal((await ingest(server, key, big)).accepted, 22_000);
      const client = hcClient(server);
      const q = { ...hour(), room_id: "room-big", mid: "all" };
      for (const query of [q, { ...q, user_id: "big" }]) {
        const err = await huaweiError(qosDetails(client, query));
        assert.equal(err.httpStatusCode, 400);
        assert.equal(err.errorCode, "RTC.00001003");
        assert.match(err.errorMsg, /the answer would hold 506000 points, more than 500000/);
      }
      const fewer = await qosDetails(client, { ...q, user_id: "big", mid: "vbit,vfps" });
      assert.deepEqual(
        fewer.data?.map((s) => [s.mid, s.data.length]),
        [
          ["vbit", 22_000],
          ["vfps", 22_000],
        ],
      );
      const page = await qosDetails(client, { ...q, limit: 22 });
      assert.equal(page.data?.length, 22);
      assert.ok(page.data?.every((s) => s.data.length === 22_000));
    });

    test("time_type=stime selects and shows storage time", async () => {
      const client = hcClient(server);
      const { now } = await server.admin<{ now: number }>("GET", "/clock");
      const byStime = await qosDetails(client, {
        app_id: appId,
        room_id: "room-2",
        mid: "appcpu",
        time_type: "stime",
        user_id: "carol",
        start_time: iso(now - H),
        end_time: iso(now + 60_000),
      });
      assert.equal(byStime.data!.length, 1);
      const t = Date.parse(byStime.data![0]!.data[0]!.time);
      assert.ok(t > base + H && t <= now, "the time shown is when it was stored");
      const byCtime = await qosDetails(client, {
        app_id: appId,
        room_id: "room-2",
        mid: "appcpu",
        user_id: "carol",
        start_time: iso(now - H),
        end_time: iso(now + 60_000),
      });
      assert.deepEqual(byCtime.data, []);
    });

    test("a sample sent twice is stored once", async () => {
      const again = await ingest(server, key, samples.slice(0, 5));
      assert.deepEqual([again.received, again.accepted, again.duplicates], [5, 0, 5]);
      const res = await qosDetails(hcClient(server), { ...hour(), mid: "appcpu" });
      assert.equal(res.data![0]!.data.length, 10);
    });

    test("each missing parameter: 400 DATA.100011001 with the seed's wording and X-Request-Id", async () => {
      const full: Record<string, string> = { ...hour(), mid: "appcpu" };
      for (const name of ["app_id", "room_id", "mid", "start_time", "end_time"]) {
        const { [name]: _drop, ...rest } = full;
        const e = await huaweiError(qosDetails(hcClient(server), rest));
        assert.deepEqual(
          [e.httpStatusCode, e.errorCode, e.errorMsg],
          [400, "DATA.100011001", `Required String parameter '${name}' is not present`],
        );
        assert.match(e.requestId, /^[0-9a-f]{32}$/);
      }
    });

    test("every bad value: 400 RTC.00001003", async () => {
      const full: Record<string, string> = { ...hour(), mid: "appcpu" };
      const cases: Record<string, string>[] = [
        { mid: "adelay" },
        { mid: "" },
        { start_time: "2020-04-23 06:00:00" },
        { end_time: iso(base).replace("Z", "+08:00") },
        { end_time: iso(base - 1000) },
        { direction: "sideways" },
        { time_type: "utime" },
        { limit: "0" },
        { limit: "1001" },
        { offset: "-1" },
        { app_id: "" },
        { app_id: "000000000000000000000000" },
      ];
      for (const c of cases) {
        const e = await huaweiError(qosDetails(hcClient(server), { ...full, ...c }));
        assert.deepEqual([e.httpStatusCode, e.errorCode], [400, "RTC.00001003"], JSON.stringify(c));
        assert.match(e.errorMsg, /^InvalidParameterValue: /);
      }
    });

    test("an app of another account answers exactly as an app that does not exist", async () => {
      const other = await server.admin<{ accountId: string; secretId: string; secretKey: string; huaweiProjectId: string }>(
        "POST",
        "/accounts",
        { name: "other" },
      );
      const foreignApp = (await server.admin<{ appId: string }>("POST", "/apps", { products: ["rtc"], accountId: other.accountId })).appId;
      const foreignKey = await server.ingestKey(foreignApp);
      await ingest(server, foreignKey, [{ ctime: base, room_id: "room-1", uid: "mallory", metrics: { appcpu: 99 } }]);
      const q = { ...hour(), mid: "appcpu" };
      const foreign = await huaweiError(qosDetails(hcClient(server), { ...q, app_id: foreignApp }));
      const missing = await huaweiError(qosDetails(hcClient(server), { ...q, app_id: "ffffffffffffffffffffffff" }));
      assert.deepEqual(
        [foreign.httpStatusCode, foreign.errorCode, foreign.errorMsg],
        [missing.httpStatusCode, missing.errorCode, missing.errorMsg],
      );
      // A non-RTC app of our own account too.
      const lcic = await server.createApp(["lcic"]);
      const notRtc = await huaweiError(qosDetails(hcClient(server), { ...q, app_id: lcic }));
      assert.equal(notRtc.errorMsg, missing.errorMsg);
      // The other account sees its own data through its own project, and not ours.
      const theirs = hcClient(server, { ak: other.secretId, sk: other.secretKey, projectId: other.huaweiProjectId });
      const res = await qosDetails(theirs, { ...q, app_id: foreignApp });
      assert.deepEqual(
        res.data!.map((s) => s.uid),
        ["mallory"],
      );
      // Its credentials on our project: 403 APIGW.0302.
      const cross = hcClient(server, { ak: other.secretId, sk: other.secretKey, projectId: server.huaweiProjectId });
      const e = await huaweiError(qosDetails(cross, { ...q }));
      assert.deepEqual([e.httpStatusCode, e.errorCode], [403, "APIGW.0302"]);
    });

    test("AK/SK: wrong secret, unknown AK, skewed X-Sdk-Date, unknown project", async () => {
      const q = { ...hour(), mid: "appcpu" };
      const wrong = await huaweiError(qosDetails(hcClient(server, { sk: "not-the-secret" }), q));
      assert.deepEqual([wrong.httpStatusCode, wrong.errorCode], [401, "APIGW.0301"]);
      assert.match(wrong.errorMsg, /^Incorrect IAM authentication information: verify aksk signature fail, canonicalRequest:GET\|/);
      assert.match(wrong.requestId, /^[0-9a-f]{32}$/);
      const unknown = await huaweiError(qosDetails(hcClient(server, { ak: "AKNOSUCHKEY000000000" }), q));
      assert.deepEqual(
        [unknown.httpStatusCode, unknown.errorCode, unknown.errorMsg],
        [401, "APIGW.0301", "Incorrect IAM authentication information: Get secretKey failed,ak:******,err:ak not exist"],
      );
      const project = await huaweiError(qosDetails(hcClient(server, { projectId: "0123456789abcdef0123456789abcdef" }), q));
      assert.deepEqual([project.httpStatusCode, project.errorCode], [403, "APIGW.0302"]);
      // The SDK signs with a date given in the request headers: 16 minutes off either way.
      for (const skew of [-16, 16]) {
        const date = `${new Date(Date.now() + skew * 60_000).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
        const client = hcClient(server);
        const e = await huaweiError(
          client.sendRequest({
            method: "GET",
            url: "/v1/{project_id}/rtc/client/qos/details",
            contentType: "application/json",
            queryParams: q,
            pathParams: {},
            headers: { "X-Sdk-Date": date },
          } as never),
        );
        assert.deepEqual(
          [e.httpStatusCode, e.errorCode, e.errorMsg],
          [401, "APIGW.0301", "Incorrect IAM authentication information: calc ak sk signature fail:signature expired"],
          `skew ${skew}`,
        );
      }
      // 14 minutes off is inside the window.
      const date = `${new Date(Date.now() - 14 * 60_000).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
      const ok = (await hcClient(server).sendRequest({
        method: "GET",
        url: "/v1/{project_id}/rtc/client/qos/details",
        contentType: "application/json",
        queryParams: q,
        pathParams: {},
        headers: { "X-Sdk-Date": date },
      } as never)) as unknown as QosDetails;
      assert.equal(ok.httpStatusCode, 200);
    });

    test("AK/SK derived (V11-HMAC-SHA256, withDerivedAuthServiceName): good key answered, wrong secret refused", async () => {
      const q = { ...hour(), mid: "appcpu" };
      const derived = { region: "cn-north-4", service: "rtc" };
      const ok = await qosDetails(hcClient(server, { derived }), q);
      assert.equal(ok.httpStatusCode, 200);
      const plain = await qosDetails(hcClient(server), q);
      assert.deepEqual([ok.room_id, ok.data], [plain.room_id, plain.data], "the same answer as with SDK-HMAC-SHA256");
      const wrong = await huaweiError(qosDetails(hcClient(server, { derived, sk: "not-the-secret" }), q));
      assert.deepEqual([wrong.httpStatusCode, wrong.errorCode], [401, "APIGW.0301"]);
      assert.match(wrong.errorMsg, /verify aksk signature fail/);
      // The scope's day must be the day of X-Sdk-Date (the SDK derives one from the other).
      const sdkDate = `${new Date().toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
      const r = await fetch(`${server.url}${PATH(server.huaweiProjectId)}?${new URLSearchParams(q)}`, {
        headers: {
          "x-sdk-date": sdkDate,
          authorization: `V11-HMAC-SHA256 Credential=${server.secretId}/19990101/cn-north-4/rtc, SignedHeaders=host;x-sdk-date, Signature=00`,
        },
      });
      assert.equal(r.status, 401);
      assert.deepEqual(await r.json(), {
        error_code: "APIGW.0301",
        error_msg: `Incorrect IAM authentication information: the credential scope 19990101/cn-north-4/rtc is not of the day of x-sdk-date ${sdkDate}`,
        request_id: r.headers.get("x-request-id"),
      });
    });

    test("X-Auth-Token issued by the admin API and the CLI", async () => {
      const q = new URLSearchParams({ ...hour(), mid: "appcpu" }).toString();
      const call = (headers: Record<string, string>, project = server.huaweiProjectId) =>
        fetch(`${server.url}${PATH(project)}?${q}`, { headers });
      const { token } = await server.admin<{ token: string }>("POST", "/rtc/tokens", { label: "test" });
      const r = await call({ "x-auth-token": token });
      assert.equal(r.status, 200);
      assert.match(String(r.headers.get("x-request-id")), /^[0-9a-f]{32}$/);
      const sdk = await qosDetails(hcClient(server), { ...hour(), mid: "appcpu" });
      assert.deepEqual(await r.json(), wire(sdk));
      // Wrong project with a good token.
      const p = await call({ "x-auth-token": token }, "0123456789abcdef0123456789abcdef");
      assert.equal(p.status, 403);
      assert.equal(((await p.json()) as { error_code: string }).error_code, "APIGW.0302");
      // Unknown token, no credentials at all.
      const bad = await call({ "x-auth-token": "MIInotatoken" });
      assert.equal(bad.status, 401);
      assert.deepEqual(await bad.json(), {
        error_code: "APIGW.0301",
        error_msg: "Incorrect IAM authentication information: decrypt token fail",
        request_id: bad.headers.get("x-request-id"),
      });
      const none = await call({});
      assert.equal(none.status, 401);
      assert.equal(
        ((await none.json()) as { error_msg: string }).error_msg,
        "Incorrect IAM authentication information: x-auth-token not found",
      );
      // An expired token: APIGW.0307 (token lifetimes are wall time).
      const short = await server.admin<{ token: string }>("POST", "/rtc/tokens", { ttlSeconds: 1 });
      await new Promise((res) => setTimeout(res, 1200));
      const expired = await call({ "x-auth-token": short.token });
      assert.equal(expired.status, 401);
      assert.equal(((await expired.json()) as { error_code: string }).error_code, "APIGW.0307");
      // The CLI issues one too (through the admin API of the running server).
      const cli = spawnSync(process.execPath, [BIN, "tokens", "create", "--data", server.dataDir, "--json", "--label", "cli"], {
        encoding: "utf8",
      });
      assert.equal(cli.status, 0, cli.stderr);
      const issued = JSON.parse(cli.stdout) as { token: string; huaweiProjectId: string };
      assert.equal(issued.huaweiProjectId, server.huaweiProjectId);
      assert.equal((await call({ "x-auth-token": issued.token })).status, 200);
    });

    test("unknown paths and methods under /v1: 404 APIGW.0101; the Tencent gateway at / is untouched", async () => {
      for (const [method, path] of [
        ["GET", "/v1/x/rtc/nothing"],
        ["GET", "/v1"],
        ["POST", PATH(server.huaweiProjectId)],
        ["DELETE", "/v1/a/b"],
      ] as const) {
        const r = await fetch(`${server.url}${path}`, { method });
        assert.equal(r.status, 404, `${method} ${path}`);
        const body = (await r.json()) as Record<string, string>;
        assert.equal(body.error_code, "APIGW.0101");
        assert.equal(body.request_id, r.headers.get("x-request-id"));
      }
      const tc = await fetch(`${server.url}/`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(tc.status, 200);
      assert.ok(((await tc.json()) as { Response?: unknown }).Response);
    });

    test("the 24-hour rule and the single-user rule for crossing days", async () => {
      const client = hcClient(server);
      const q = { app_id: appId, room_id: "room-1", mid: "appcpu", user_id: "alice" };
      const ok = await qosDetails(client, { ...q, start_time: iso(base), end_time: iso(base + DAY) });
      assert.equal(ok.data![0]!.data.length, 10);
      const tooLong = await huaweiError(qosDetails(client, { ...q, start_time: iso(base), end_time: iso(base + DAY + 1000) }));
      assert.deepEqual([tooLong.httpStatusCode, tooLong.errorCode], [400, "RTC.00001003"]);
      const midnight = Math.floor(base / DAY) * DAY + DAY;
      const { user_id: _u, ...room } = q;
      const cross = await huaweiError(qosDetails(client, { ...room, start_time: iso(midnight - H), end_time: iso(midnight) }));
      assert.match(cross.errorMsg, /single user/);
      assert.equal((await qosDetails(client, { ...q, start_time: iso(midnight - H), end_time: iso(midnight) })).httpStatusCode, 200);
    });

    test("five days on the development clock, then retention drops the partition", async () => {
      const client = hcClient(server);
      const q = { ...hour(), mid: "appcpu", user_id: "alice" };
      const { now } = await server.admin<{ now: number }>("GET", "/clock");
      // Just inside five days (a minute of margin for the time the calls take)...
      await server.advance((base + 5 * DAY - now - 60_000) / 1000);
      const inside = await qosDetails(client, q);
      assert.equal(inside.data![0]!.data.length, 10, "still queryable and not yet dropped");
      // ...and just outside.
      await server.advance(120);
      const outside = await huaweiError(qosDetails(client, q));
      assert.deepEqual(
        [outside.httpStatusCode, outside.errorCode, outside.errorMsg],
        [400, "RTC.00001003", "InvalidParameterValue: only data from the past five days can be queried"],
      );
      const day = new Date(Math.floor(base / DAY) * DAY).toISOString().slice(0, 10);
      assert.ok((await server.admin<{ days: string[] }>("GET", "/rtc/qos/partitions")).days.includes(day));
      // Once the whole day is older than the retention window, its partition is gone.
      await server.advance(2 * 86400);
      const after = await server.admin<{ days: string[]; retentionDays: number }>("GET", "/rtc/qos/partitions");
      assert.equal(after.retentionDays, 5);
      assert.ok(!after.days.includes(day), `${day} dropped (left: ${after.days.join(", ")})`);
      // A late sample for that day is counted as expired, not stored.
      const late = await ingest(server, key, [{ ctime: base, room_id: "room-1", uid: "alice", metrics: { appcpu: 1 } }]);
      assert.deepEqual([late.accepted, late.expired], [0, 1]);
      assert.ok(!(await server.admin<{ days: string[] }>("GET", "/rtc/qos/partitions")).days.includes(day));
    });
  });
}

describe("Huawei gateway rate limit", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { ROOMLEDGER_HUAWEI_RATE_LIMIT: "3" } });
  });
  after(() => server.stop());

  test("beyond the limit: 429 APIGW.0308 with Retry-After and X-Request-Id", async () => {
    const appId = await server.createApp(["rtc"]);
    const { token } = await server.admin<{ token: string }>("POST", "/rtc/tokens", {});
    const now = Date.now();
    const q = new URLSearchParams({
      app_id: appId,
      room_id: "r",
      mid: "all",
      user_id: "u",
      start_time: iso(now - H),
      end_time: iso(now),
    }).toString();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => fetch(`${server.url}${PATH(server.huaweiProjectId)}?${q}`, { headers: { "x-auth-token": token } })),
    );
    const limited = answers.filter((r) => r.status === 429);
    assert.ok(limited.length >= 1 && answers.some((r) => r.status === 200), answers.map((r) => r.status).join(","));
    const body = (await limited[0]!.json()) as Record<string, string>;
    assert.equal(body.error_code, "APIGW.0308");
    assert.match(String(body.error_msg), /^The throttling threshold has been reached/);
    assert.equal(limited[0]!.headers.get("retry-after"), "1");
    assert.match(String(limited[0]!.headers.get("x-request-id")), /^[0-9a-f]{32}$/);
  });
});

describe("Huawei gateway AK lock-out", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({});
  });
  after(() => server.stop());

  test("5 consecutive failures lock the AK (even a good signature gets 401); a success before resets the count; tokens still work", async () => {
    const appId = await server.createApp(["rtc"]);
    const now = Date.now();
    const q = { app_id: appId, room_id: "r", mid: "vbit", user_id: "u", start_time: iso(now - H), end_time: iso(now) };
    const wrong = () => huaweiError(qosDetails(hcClient(server, { sk: "not-the-secret" }), q));
    for (let i = 0; i < 4; i++) assert.match((await wrong()).errorMsg, /verify aksk signature fail/);
    assert.equal((await qosDetails(hcClient(server), q)).httpStatusCode, 200);
    for (let i = 0; i < 5; i++) assert.match((await wrong()).errorMsg, /verify aksk signature fail/, `failure ${i + 1}`);
    const locked = await huaweiError(qosDetails(hcClient(server), q));
    assert.deepEqual(
      [locked.httpStatusCode, locked.errorCode, locked.errorMsg],
      [401, "APIGW.0301", "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden"],
    );
    assert.match(locked.requestId, /^[0-9a-f]{32}$/);
    const { token } = await server.admin<{ token: string }>("POST", "/rtc/tokens", {});
    const r = await fetch(`${server.url}${PATH(server.huaweiProjectId)}?${new URLSearchParams(q)}`, { headers: { "x-auth-token": token } });
    assert.equal(r.status, 200);
  });
});

describe("Huawei gateway on two server processes sharing one PostgreSQL", { skip: !postgresAvailable() && "no test PostgreSQL" }, () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startServer({ backend: "postgres", env: { ROOMLEDGER_HUAWEI_RATE_LIMIT: "3" } });
    b = await startServer({ databaseUrl: a.databaseUrl, env: { ROOMLEDGER_HUAWEI_RATE_LIMIT: "3" } });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test("an AK locked through one is locked on the other; the rate limit is one budget", async () => {
    const appId = await a.createApp(["rtc"]);
    const now = Date.now();
    const q = { app_id: appId, room_id: "r", mid: "vbit", user_id: "u", start_time: iso(now - H), end_time: iso(now) };
    // Both serve the same account (one database): b's client signs with a's credentials.
    const on = (s: TestServer, sk?: string) => hcClient(s, { ak: a.secretId, sk: sk ?? a.secretKey, projectId: a.huaweiProjectId });
    // 3 calls per second per credential and API, counted across both: the 4th of a burst is refused.
    const burst = await Promise.allSettled([a, b, a, b].map((s) => qosDetails(on(s), q)));
    assert.equal(burst.filter((r) => r.status === "rejected").length, 1, "one budget of 3 for 4 calls");
    await new Promise((res) => setTimeout(res, 1100));
    for (let i = 0; i < 5; i++) {
      const e = await huaweiError(qosDetails(on(i % 2 === 0 ? a : b, "not-the-secret"), q));
      assert.match(e.errorMsg, /verify aksk signature fail/, `failure ${i + 1}`);
    }
    for (const s of [a, b]) {
      const locked = await huaweiError(qosDetails(on(s), q));
      assert.equal(locked.errorMsg, "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden");
    }
  });
});

describe("Huawei gateway authentication input", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { ROOMLEDGER_HUAWEI_RATE_LIMIT: "0" } });
  });
  after(() => server.stop());

  // Its own server: the signatures tried here count towards the account's AK lock-out.
  test("property: any Authorization and X-Sdk-Date get a gateway error (401/403), never a 500", async () => {
    const appId = await server.createApp(["rtc"]);
    const now = Date.now();
    const q = new URLSearchParams({ app_id: appId, room_id: "r", mid: "vbit", user_id: "u", start_time: iso(now - H), end_time: iso(now) });
    const sdkNow = `${new Date(now).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;
    // Header values are Latin-1; long ones reach past the 1,024 bytes HKDF takes as info.
    const latin1 = fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c));
    const part = fc.oneof(fc.string({ maxLength: 40, unit: latin1 }), fc.string({ maxLength: 700, unit: latin1, size: "max" }));
    const segment = fc.string({ maxLength: 700, unit: latin1.filter((c) => !/[\s,/]/.test(c)), size: "max" });
    const ak = fc.constantFrom(server.secretId, "AKNOSUCHKEY000000000");
    const hex = fc.string({ maxLength: 64, unit: fc.constantFrom(..."0123456789abcdef") });
    const authorization = fc.oneof(
      part,
      fc
        .tuple(ak, part, hex)
        .map(([a, h, sig]) => `SDK-HMAC-SHA256 Access=${a}, SignedHeaders=${h || "host;x-sdk-date"}, Signature=${sig || "0"}`),
      fc
        .tuple(ak, fc.constantFrom(sdkNow.slice(0, 8), "19990101"), fc.oneof(part, segment), segment, hex)
        .map(
          ([a, day, region, service, sig]) =>
            `V11-HMAC-SHA256 Credential=${a}/${day}/${region}/${service}, SignedHeaders=host;x-sdk-date, Signature=${sig || "0"}`,
        ),
    );
    await fc.assert(
      fc.asyncProperty(authorization, fc.oneof(fc.constant(sdkNow), part), async (auth, sdkDate) => {
        const headers: Record<string, string> = {};
        // What fetch refuses to send is not a request the server can get.
        try {
          new Headers({ authorization: auth, "x-sdk-date": sdkDate });
          Object.assign(headers, { authorization: auth, "x-sdk-date": sdkDate });
        } catch {
          return;
        }
        // A good signature first resets the AK's failure count: no run meets a locked AK.
        assert.equal((await qosDetails(hcClient(server), Object.fromEntries(q))).httpStatusCode, 200);
        const r = await fetch(`${server.url}${PATH(server.huaweiProjectId)}?${q}`, { headers });
        const body = (await r.json()) as { error_code?: string };
        assert.ok([401, 403].includes(r.status), `${r.status} ${JSON.stringify(body)} for ${JSON.stringify(headers)}`);
        assert.match(String(body.error_code), /^APIGW\.03/);
        assert.match(String(r.headers.get("x-request-id")), /^[0-9a-f]{32}$/);
      }),
      // No shrinking: each step is a request, and a long header shrinks for minutes.
      { numRuns: 150, endOnFailure: true },
    );
  });
});
