// The Tencent rate limit: 20 requests per second per (SecretId, Action), whatever region is
// sent (issue 16, item 6); the 21st within a second gets RequestLimitExceeded with the real
// message format (reference §6). Two server processes on one PostgreSQL share the budget.
// Budgets are per second: each test starts in a fresh one.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient } from "../support/tencent.ts";
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
    server = await startServer({ env: { ROOMLEDGER_RATE_LIMITS: "DescribeDiagnosticEvents=3" } });
  });
  after(() => server.stop());

  test("the 21st call within a second is RequestLimitExceeded; another region shares the budget, another action or key does not", async () => {
    const results = await burst(Array.from({ length: 21 }, () => echo(server, { region: "ap-a" })));
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 1, JSON.stringify(refused));
    assert.equal(refused[0]!.code, "RequestLimitExceeded");
    assert.equal(
      refused[0]!.message,
      "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
    );
    // Same second: another region shares the budget; another action or SecretId does not.
    const others = await burst([
      echo(server, { region: "ap-b" }),
      () => commonClient(server, VERSION, { region: "ap-a" }).request("DescribeDiagnosticEvents", { AppId: "none" }),
    ]);
    assert.equal((others[0] as { code?: string }).code, "RequestLimitExceeded");
    assert.notEqual((others[1] as { code?: string }).code, "RequestLimitExceeded");
    const key = await server.admin<{ secretId: string; secretKey: string }>("POST", "/keys", {});
    const fresh = await burst([echo(server, { region: "ap-a", secretId: key.secretId, secretKey: key.secretKey })]);
    assert.equal(fresh[0]!.ok, true);
  });

  test("sixty concurrent calls with sixty made-up regions share one budget of 20", async () => {
    await nextSecond();
    const results = await burst(Array.from({ length: 60 }, (_, i) => echo(server, { region: `made-up-${i}` })));
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 40, JSON.stringify(results.map((r) => r.ok)));
    assert.ok(refused.every((r) => r.code === "RequestLimitExceeded"));
  });

  test("a per-action limit from ROOMLEDGER_RATE_LIMITS", async () => {
    await nextSecond();
    const describe = () => commonClient(server, VERSION, { region: "ap-conf" }).request("DescribeDiagnosticEvents", { AppId: "none" });
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
    const results = await burst(Array.from({ length: 22 }, () => echo(server, { region: "ap-zh", language: "zh-CN" })));
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 2);
    assert.ok(refused.every((r) => r.code === "RequestLimitExceeded"));
    assert.ok(
      refused.some((r) => r.message === "您当前每秒请求 `21` 次，超过了每秒频率上限 `20`，请稍后重试。"),
      JSON.stringify(refused),
    );
    await nextSecond();
    assert.equal((await burst([echo(server, { region: "ap-zh" })]))[0]!.ok, true);
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
    await burst([echo(a, { region: "warm" }), echo(b, { region: "warm" })]);
    await nextSecond();
    const results = await burst([
      ...Array.from({ length: 12 }, () => echo(a, { region: "ap-shared" })),
      ...Array.from({ length: 12 }, () => echo(b, { region: "ap-shared" })),
    ]);
    const refused = results.filter((r) => !r.ok) as Extract<Outcome, { ok: false }>[];
    assert.equal(refused.length, 4, JSON.stringify(refused));
    assert.ok(refused.every((r) => r.code === "RequestLimitExceeded"));
    // Each server alone stayed under 20: only a shared count refuses anything.
    assert.ok(results.slice(0, 12).some((r) => r.ok) && results.slice(12).some((r) => r.ok));
  });
});
