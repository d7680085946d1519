// roomledger/testing (src/testing/) as a project's test uses it: in memory, in this process,
// the vendors' SDKs built from its client configurations; and reset: what it empties, what it
// keeps, and that a production ledger cannot be reset (on PGlite and PostgreSQL).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { ClientBuilder } from "@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js";
import type { HcClient } from "@huaweicloud/huaweicloud-sdk-core/HcClient.js";
import { BasicCredentials } from "@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js";
import { startRoomledger, RoomledgerError, type Roomledger } from "../../src/testing/index.ts";
import { qosDetails } from "../../src/demo/clients.ts";
import { runCli, startServer, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { diagnostic } from "../support/ingest.ts";
import { sdkError } from "../support/tencent.ts";

const room = (sdkAppId: number, start: number, end: number) => ({
  SdkAppId: sdkAppId,
  Name: "Physics 101",
  StartTime: start,
  EndTime: end,
  Resolution: 1,
  MaxMicNumber: 1,
  SubType: "videodoc",
});

describe("roomledger/testing", () => {
  let rl: Roomledger;
  before(async () => {
    rl = await startRoomledger();
  });
  after(() => rl.stop());

  test("the Tencent and Huawei client configurations work with the SDKs as they are", async () => {
    const lcic = new tencentcloud.lcic.v20220817.Client(rl.tencentcloud);
    const sdkAppId = Number(await rl.createApp(["lcic"]));
    const { UserId } = await lcic.RegisterUser({ SdkAppId: sdkAppId, Name: "Ms. T" });
    assert.equal((await lcic.DescribeUser({ UserId: UserId! })).Name, "Ms. T");

    const rtcApp = await rl.createApp("rtc");
    const huawei = new ClientBuilder<HcClient>((c) => c)
      .withEndpoint(rl.huawei.endpoint)
      .withCredential(new BasicCredentials().withAk(rl.huawei.ak).withSk(rl.huawei.sk).withProjectId(rl.huawei.projectId))
      .build();
    const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
    const now = Date.now();
    const answer = await qosDetails(huawei, {
      app_id: rtcApp,
      room_id: "r1",
      user_id: "u1",
      mid: "vbit",
      start_time: iso(now - 3600_000),
      end_time: iso(now),
    });
    assert.ok(Array.isArray(answer.data), JSON.stringify(answer));
  });

  test("ingest, advance, and reset: state emptied; apps, their settings and the credentials kept", async () => {
    const lcic = new tencentcloud.lcic.v20220817.Client(rl.tencentcloud);
    const appId = await rl.createApp(["lcic"]);
    const sdkAppId = Number(appId);
    const events = [diagnostic("e-1", 1), diagnostic("e-2", 2)];
    assert.equal((await rl.ingest(appId, events)).accepted, 2);
    assert.equal((await rl.ingest(appId, events)).duplicates, 2, "a retried event is stored once");
    await assert.rejects(
      rl.ingest(appId, [{ id: "x", type: "no.such.type", ctime: 1, data: {} }]),
      (e: unknown) => e instanceof RoomledgerError && e.status === 400,
    );

    const now = Math.floor(Date.now() / 1000);
    const { RoomId } = await lcic.CreateRoom(room(sdkAppId, now + 60, now + 120));
    const later = await rl.advance(3 * 3600);
    assert.ok(later >= (now + 3 * 3600) * 1000);
    // Past EndTime and the default EndDelayTime (120 minutes).
    assert.equal((await lcic.DescribeRoom({ RoomId: RoomId! })).Status, 3, "a room never started expires");

    const gme = await rl.createApp("gme");
    const switchUrl = `${rl.adminUrl}/admin/v1/gme/apps/${gme}/recording`;
    const admin = (method: string, body?: unknown) =>
      fetch(switchUrl, {
        method,
        headers: { authorization: `Bearer ${rl.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then((r) => r.json() as Promise<{ opened: boolean }>);
    assert.equal((await admin("POST", { opened: true })).opened, true);

    await rl.reset();
    assert.equal((await sdkError(lcic.DescribeRoom({ RoomId: RoomId! }))).code, "ResourceNotFound.Room", "the room is gone");
    assert.equal((await rl.ingest(appId, events)).accepted, 2, "the events are gone: the same ids are new again");
    assert.equal((await lcic.DescribeSdkAppIdUsers({ SdkAppId: sdkAppId, Page: 1, Limit: 10 })).Total, 0, "the users are gone");
    const { UserId } = await lcic.RegisterUser({ SdkAppId: sdkAppId, Name: "again" });
    assert.ok(UserId, "the app and the key pair still work");
    assert.equal((await admin("GET")).opened, true, "an app's settings (GME's recording switch) are kept");

    await rl.reset({ apps: true });
    assert.match(
      (await sdkError(lcic.RegisterUser({ SdkAppId: sdkAppId, Name: "x" }))).code ?? "",
      /SdkAppId|InvalidParameter|ResourceNotFound|AuthFailure|UnauthorizedOperation/,
      "the app is gone",
    );
    const next = Number(await rl.createApp(["lcic"]));
    assert.ok((await lcic.RegisterUser({ SdkAppId: next, Name: "y" })).UserId, "the account and its keys are kept");
  });

  test("in memory without development mode: reset allowed, the clock cannot be moved", async () => {
    const plain = await startRoomledger({ dev: false });
    try {
      await plain.reset();
      await assert.rejects(plain.advance(1), (e: unknown) => e instanceof RoomledgerError && e.status === 404);
    } finally {
      await plain.stop();
    }
  });
});

for (const backend of backends()) {
  describe(`reset on a data directory or database (${backend})`, () => {
    let prod: TestServer;
    let dev: TestServer;
    before(async () => {
      prod = await startServer({ backend, dev: false });
      dev = await startServer({ backend, dev: true });
    });
    after(() => Promise.all([prod?.stop(), dev?.stop()]));

    test("a production ledger cannot be reset: no such route, and the CLI says why", async () => {
      const res = await fetch(`${prod.adminUrl}/admin/v1/reset`, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      assert.equal(res.status, 404);
      const cli = await runCli(["reset", "--data", prod.dataDir], { ...process.env, ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
      assert.equal(cli.code, 1, cli.stderr);
      assert.match(cli.stderr, /^roomledger: this server cannot be reset: only one started with --dev or --in-memory can/);
    });

    test("in development mode `roomledger reset` empties the state and keeps the apps", async () => {
      const appId = await dev.createApp(["lcic"]);
      const key = await dev.ingestKey(appId);
      const lcic = new tencentcloud.lcic.v20220817.Client({
        credential: { secretId: dev.secretId, secretKey: dev.secretKey },
        profile: { httpProfile: { endpoint: dev.endpoint, protocol: "http://" } },
      });
      const now = Math.floor(Date.now() / 1000);
      const { RoomId } = await lcic.CreateRoom(room(Number(appId), now + 600, now + 4200));
      const cli = await runCli(["reset", "--data", dev.dataDir, "--json"], { ...process.env, ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN });
      assert.equal(cli.code, 0, cli.stderr);
      const answer = JSON.parse(cli.stdout) as { emptied: string[] };
      assert.ok(answer.emptied.includes("lcic_rooms") && answer.emptied.includes("ingest_events"), cli.stdout);
      for (const kept of ["accounts", "api_keys", "apps", "ingest_keys", "gme_apps", "schema_migrations", "jobs"])
        assert.ok(!answer.emptied.includes(kept), kept);
      assert.equal((await sdkError(lcic.DescribeRoom({ RoomId: RoomId! }))).code, "ResourceNotFound.Room");
      const res = await fetch(`${dev.url}/ingest/v1/events`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify([diagnostic("after-reset", 1)]),
      });
      assert.equal(res.status, 200, "the ingest key is kept");
    });
  });
}
