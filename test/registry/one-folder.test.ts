// "A product is one folder plus one registry line": test/registry/sample-product/ is such a
// folder, added to the registry's table here (the line), and the server mounts every slot it
// declares (migrations, settings, app-id shape, Tencent service, Huawei route, native route,
// ingest type, job, admin route, start-up hook) without any other file knowing it. In
// process (the harness's startInProcess), so the product can live in the test tree.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { pino } from "pino";
import type { RunningServer } from "../../src/server.ts";
import { allProducts, enabledProducts } from "../../src/products/registry.ts";
import { sample } from "./sample-product/index.ts";
import { commonClient } from "../support/tencent.ts";
import { hcClient } from "../support/huawei.ts";
import { backends, freshDatabase } from "../support/postgres.ts";
import type { TestServer } from "../support/server.ts";
import { type InProcessServer, startInProcess } from "../support/harness.ts";

for (const backend of backends()) {
  describe(`a product is one folder plus one registry line (${backend})`, () => {
    let started: InProcessServer | undefined;
    let server: RunningServer;
    let asTest: TestServer;
    const admin = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${server.adminUrl}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${server.credentials.adminToken}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: r.status, body: (await r.json()) as any };
    };

    before(async () => {
      started = await startInProcess({
        dirPrefix: "roomledger-registry-",
        flags: { "log-level": "error" },
        databaseUrl: backend === "postgres" ? await freshDatabase() : null,
        // The one registry line: the table with the sample product added.
        server: { products: enabledProducts(true, [...allProducts, sample]), logger: pino({ level: "silent" }) },
      });
      server = started.server;
      const u = new URL(server.url);
      asTest = {
        url: server.url,
        endpoint: u.host,
        secretId: server.credentials.secretId,
        secretKey: server.credentials.secretKey,
        huaweiProjectId: server.credentials.huaweiProjectId,
      } as TestServer;
    });
    after(async () => {
      await started?.stop();
    });

    test("every declared slot is mounted and sees only the product's own context", async () => {
      // Admin: the product list is the registry's, so an app of the new product can be made,
      // with the id shape the product declares (24 hex digits).
      const created = await admin("POST", "/apps", { products: ["sample"] });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const appId: string = created.body.appId;
      assert.match(appId, /^[0-9a-f]{24}$/);
      const key = (await admin("POST", "/ingest-keys", { appId })).body.key as string;

      // Ingest: its event type is registered, and its apply writes its own table.
      const sent = await fetch(`${server.url}/ingest/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify([1, 2, 3].map((n) => ({ id: `t${n}`, type: "sample.tick", ctime: Date.now(), data: { n } }))),
      });
      assert.equal(sent.status, 200);
      assert.equal(((await sent.json()) as { accepted: number }).accepted, 3);

      // Tencent: its service and action, through the official SDK's CommonClient; settings
      // come from the configuration and the start-up hook ran once.
      const tencent = (await commonClient(asTest, "2026-12-01").request("DescribeSampleTicks", { AppId: appId })) as Record<
        string,
        unknown
      >;
      assert.equal(tencent.Count, 3);
      assert.match(String(tencent.Label), /^limit \d+$/);
      assert.equal(tencent.Started, 1);

      // Native: its route, behind the kit's ingest-key authentication.
      const native = await fetch(`${server.url}/sample/v1/ticks`, { headers: { authorization: `Bearer ${key}` } });
      assert.deepEqual(await native.json(), { appId, count: 3 });
      const anonymous = await fetch(`${server.url}/sample/v1/ticks`);
      assert.equal(anonymous.status, 401);
      assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, "Unauthorized");

      // Huawei: its route behind the one /v1 gateway, signed by the Huawei SDK core (AK/SK).
      const huawei = (await hcClient(asTest).sendRequest({
        method: "GET",
        url: `/v1/{project_id}/sample/apps/${appId}/ticks`,
        contentType: "application/json",
        pathParams: {},
        headers: {},
        queryParams: {},
      } as never)) as { count?: number; data?: { count: number } };
      assert.equal(huawei.count ?? huawei.data?.count, 3);

      // Admin: its routes under /admin/v1/sample/.
      assert.deepEqual((await admin("GET", "/sample/label")).body, { label: tencent.Label });

      // Jobs: its job type is registered and runs with its context (it adds a tick).
      await server.platform.jobs.enqueue("sample.tock", { appId });
      assert.equal((await admin("POST", "/jobs/drain")).status, 200);
      const after = await fetch(`${server.url}/sample/v1/ticks`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(((await after.json()) as { count: number }).count, 4);
    });

    test("the products list of the admin API comes from the table: without the line, no such product", async () => {
      const refused = await admin("POST", "/apps", { products: ["nosuch"] });
      assert.equal(refused.status, 400);
    });
  });
}
