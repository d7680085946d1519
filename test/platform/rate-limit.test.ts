// The Tencent rate limit: 20 requests per second per (SecretId, Action), whatever region is
// sent (issue 16, item 6); the 21st within a second gets RequestLimitExceeded with the real
// message format (reference §6). Two server processes on one PostgreSQL share the budget.
// Budgets are per second: each test starts in a fresh one. And the region itself (item 6):
// a name that is no Tencent Cloud region is InvalidParameterValue, a real region the products
// do not serve UnsupportedRegion, both before the limiter (regions.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient, sdkError } from "../support/tencent.ts";
import { intlClient } from "../support/tencent-intl.ts";
import { PUBLIC_REGIONS } from "../../src/protocols/tencent/regions.ts";
import { postgresAvailable } from "../support/postgres.ts";

const VERSION = "2026-11-01";

type Outcome = { ok: true } | { ok: false; code?: string; message: string };

async function burst(calls: (() => Promise<unknown>)[]): Promise<Outcome[]> {
  return Promise.all(
    calls.map((call) =>
      call().then(
        (): Outcome => ({ ok: true }),
        (err: { code?: string; message: string }): Outcome => ({ ok: false, code: err.code, message: err.message }),
      ),
    ),
  );
}

const nextSecond = () => new Promise((r) => setTimeout(r, 1100));

const echo =
  (server: TestServer, o: Parameters<typeof commonClient>[2] = {}) =>
  () =>
    commonClient(server, VERSION, o).request("Echo", { Message: "x" });

describe("one server (PGlite, in-memory limiter)", () => {
  let server: TestServer;
  before(async () => {
    // A configured per-action limit (as BatchRegister's 10/s is by default).
    server = await startServer({ env: { ROOMLEDGER_RATE_LIMITS: "DescribeDiagnosticEvents=3", ROOMLEDGER_TENCENT_REGIONS: "ap-lab" } });
  });
  after(() => server.stop());

  test("the 21st call within a second is RequestLimitExceeded; another region shares the budget, another action or key does not", async () => {
    const results = await burst(Array.from({ length: 21 }, () => echo(server, { region: "ap-guangzhou" })));
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 1, JSON.stringify(refused));
    assert.equal(refused[0]!.code, "RequestLimitExceeded");
    assert.equal(
      refused[0]!.message,
      "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
    );
    // Same second: another region shares the budget; another action or SecretId does not.
    const others = await burst([
      echo(server, { region: "ap-shanghai" }),
      () => commonClient(server, VERSION, { region: "ap-guangzhou" }).request("DescribeDiagnosticEvents", { AppId: "none" }),
    ]);
    assert.equal((others[0] as { code?: string }).code, "RequestLimitExceeded");
    assert.notEqual((others[1] as { code?: string }).code, "RequestLimitExceeded");
    const key = await server.admin<{ secretId: string; secretKey: string }>("POST", "/keys", {});
    const fresh = await burst([echo(server, { region: "ap-guangzhou", secretId: key.secretId, secretKey: key.secretKey })]);
    assert.equal(fresh[0]!.ok, true);
  });

  test("one call from each served region shares one budget (DescribeDiagnosticEvents, 3/s)", async () => {
    await nextSecond();
    // A window-robust count: on a loaded machine the burst may span limiter windows, each
    // granting 3; with a budget per region all 19 would pass.
    const started = performance.now();
    const results = await burst(
      PUBLIC_REGIONS.map(
        (region) => () => commonClient(server, VERSION, { region }).request("DescribeDiagnosticEvents", { AppId: "none" }),
      ),
    );
    const windows = Math.ceil((performance.now() - started) / 1000) + 1;
    assert.ok(3 * windows < PUBLIC_REGIONS.length, `the burst took too long to tell (${windows} windows)`);
    const passed = results.filter((r) => r.ok || r.code !== "RequestLimitExceeded").length;
    assert.ok(passed <= 3 * windows, JSON.stringify({ passed, windows }));
  });

  test("a per-action limit from ROOMLEDGER_RATE_LIMITS", async () => {
    await nextSecond();
    const describe = () => commonClient(server, VERSION, { region: "ap-beijing" }).request("DescribeDiagnosticEvents", { AppId: "none" });
    const results = await burst([describe, describe, describe, describe]);
    const codes = results.map((r) => (r.ok ? "OK" : r.code));
    assert.equal(codes.filter((c) => c === "RequestLimitExceeded").length, 1, JSON.stringify(codes));
    assert.ok(
      results.some((r) => !r.ok && r.message.includes("equals to `4` in a second, which exceeds the frequency limit `3`")),
      JSON.stringify(results),
    );
  });

  test("the message in zh-CN, and the budget is back after the second", async () => {
    await nextSecond();
    const results = await burst(Array.from({ length: 22 }, () => echo(server, { region: "ap-chengdu", language: "zh-CN" })));
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 2);
    assert.ok(refused.every((r) => r.code === "RequestLimitExceeded"));
    assert.ok(
      refused.some((r) => r.message === "您当前每秒请求 `21` 次，超过了每秒频率上限 `20`，请稍后重试。"),
      JSON.stringify(refused),
    );
    await nextSecond();
    assert.equal((await burst([echo(server, { region: "ap-chengdu" })]))[0]!.ok, true);
  });

  test("a made-up region is the cloud's InvalidParameterValue, spends no budget; a financial zone is UnsupportedRegion", async () => {
    await nextSecond();
    const madeUp = await burst(Array.from({ length: 30 }, (_, i) => echo(server, { region: `made-up-${i}` })));
    const codes = new Set(madeUp.map((r) => (r.ok ? "OK" : r.code)));
    assert.deepEqual([...codes], ["InvalidParameterValue"]);
    assert.equal((madeUp[0] as { message: string }).message, "The value specified in `X-TC-Region` is invalid.");
    // Same second: the made-up ones counted nothing, all 20 of a real region pass.
    const real = await burst(Array.from({ length: 20 }, () => echo(server, { region: "ap-tokyo" })));
    assert.ok(
      real.every((r) => r.ok),
      JSON.stringify(real),
    );
    const fsi = await sdkError(commonClient(server, VERSION, { region: "ap-shanghai-fsi" }).request("Echo", { Message: "x" }));
    assert.equal(fsi.code, "UnsupportedRegion");
    assert.equal(fsi.message, "The action not support this region.");
  });

  test("every product's actions, both signature forms; no region, and a region the operator added, pass", async () => {
    await nextSecond();
    // LCIC through the Node SDK (TC3): refused before its validation (no such room needed).
    const lcic = await sdkError(commonClient(server, "2022-08-17", { region: "gz" }).request("DescribeRoom", { RoomId: 1 }));
    assert.equal(lcic.code, "InvalidParameterValue");
    // The intl SDK's v1 form (Region parameter): the message names `Region`.
    const v1 = await sdkError(intlClient(server, { region: "gz" }).call("Echo", { Message: "x" }));
    assert.equal((v1 as { code?: string }).code, "InvalidParameterValue");
    assert.match(v1.message, /A value specified in `Region` is not valid, is unsupported, or cannot be used\./);
    const zh = await sdkError(
      commonClient(server, VERSION, { region: "ap-shenzhen-fsi", language: "zh-CN" }).request("Echo", { Message: "x" }),
    );
    assert.equal(zh.message, "此操作不支持此地域。");
    for (const o of [{}, { region: "ap-lab" }, { region: "na-ashburn" }]) {
      const r = await burst([echo(server, o)]);
      assert.equal(r[0]!.ok, true, JSON.stringify([o, r]));
    }
    assert.equal((await intlClient(server, { region: "ap-lab" }).call("Echo", { Message: "x" })).Message, "x");
  });
});

describe("two server processes on one PostgreSQL", { skip: !postgresAvailable() && "no test PostgreSQL" }, () => {
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startServer({ backend: "postgres" });
    b = await startServer({ databaseUrl: a.databaseUrl });
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test("share one budget: 12 calls to each within a second, 4 refused in all", async () => {
    // Warm both (limiter table created, keys cached) in a bucket of its own.
    await burst([echo(a, { region: "ap-hongkong" }), echo(b, { region: "ap-hongkong" })]);
    await nextSecond();
    const results = await burst([
      ...Array.from({ length: 12 }, () => echo(a, { region: "ap-singapore" })),
      ...Array.from({ length: 12 }, () => echo(b, { region: "ap-singapore" })),
    ]);
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 4, JSON.stringify(refused));
    assert.ok(refused.every((r) => r.code === "RequestLimitExceeded"));
    // Each server alone stayed under 20: only a shared count refuses anything.
    assert.ok(results.slice(0, 12).some((r) => r.ok) && results.slice(12).some((r) => r.ok));
  });
});
