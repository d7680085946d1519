// The demo's and simulate's choice of server: a running one needs its URLs and credentials,
// and development mode (the scenario is compressed with the clock).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { runCli, startServer, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";

/** The CLI with a few variables set over the test process's environment. */
const runCliWith = (args: string[], env: Record<string, string> = {}) => runCli(args, { ...process.env, ...env });

describe("demo and simulate against a running server", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ dev: false });
  });
  after(() => server.stop());

  test("--url needs the admin URL and the credentials (usage error, exit 2)", async () => {
    for (const cmd of ["demo", "simulate"]) {
      const r = await runCliWith([cmd, "--url", server.url], { ROOMLEDGER_ADMIN_TOKEN: "" });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--url needs --admin-url/);
    }
  });

  test("the embedded server's options do not go with --url", async () => {
    const r = await runCliWith(["demo", "--url", server.url, "--keep"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--keep, --data and the ports are for the embedded server/);
  });

  test("a server not in development mode is refused with the reason", async () => {
    const r = await runCliWith(
      [
        "demo",
        "--url",
        server.url,
        "--admin-url",
        server.adminUrl,
        "--secret-id",
        server.secretId,
        "--secret-key",
        server.secretKey,
        "--quiet",
      ],
      { ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /needs a server in development mode \(roomledger serve --dev\)/);
  });
});

describe("simulate against a running development server", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  test("--url with its admin URL and credentials: the traffic goes to that server", async () => {
    const r = await runCliWith(
      [
        "simulate",
        "--url",
        server.url,
        "--admin-url",
        server.adminUrl,
        "--secret-id",
        server.secretId,
        "--secret-key",
        server.secretKey,
        "--rooms",
        "1",
        "--students",
        "3",
        "--devices",
        "1",
        "--duration",
        "1",
        "--rate",
        "50",
        "--json",
      ],
      { ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.sent, 50);
    // The server now has the simulation's apps: an LCIC school, the QoS app, the TRRO fleet.
    const { apps } = await server.admin<{ apps: { products: string[]; name: string }[] }>("GET", "/apps");
    assert.deepEqual(apps.map((a) => a.products.join(",")).sort(), ["lcic", "rtc", "trro"]);
  });
});
