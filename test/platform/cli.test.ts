// The roomledger CLI as a subprocess: `serve` on first and second start, the admin commands
// with and without --json, usage errors (exit 2), and no running server (a clear failure).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, runCli } from "../support/server.ts";
import { agent } from "../support/tencent.ts";
import { CommonClient } from "tencentcloud-sdk-nodejs/tencentcloud/common/common_client.js";
import { openPglite } from "../../src/storage/pglite.ts";

function cleanEnv(): Record<string, string> {
  const env = { ...(process.env as Record<string, string>) };
  for (const k of Object.keys(env)) if (k.startsWith("ROOMLEDGER_") || k === "DATABASE_URL") delete env[k];
  return env;
}

const cli = (args: string[]) => runCli(args, cleanEnv());

async function serve(dataDir: string): Promise<{ proc: ChildProcess; out: () => string; url: string }> {
  const proc = spawn(
    process.execPath,
    [BIN, "serve", "--data", dataDir, "--port", "0", "--admin-port", "0", "--dev", "--log-level", "warn"],
    {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start:\n${out}`)), 60_000);
    proc.stdout!.on("data", () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once("exit", () => reject(new Error(`exited:\n${out}`)));
  });
  proc.removeAllListeners("exit");
  return { proc, out: () => out, url };
}

const stop = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });

describe("roomledger CLI", () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), "roomledger-cli-")), "data");
  let server: Awaited<ReturnType<typeof serve>>;
  let creds: { secretId: string; secretKey: string; adminToken: string; adminUrl: string };
  before(async () => {
    server = await serve(dataDir);
    creds = JSON.parse(readFileSync(join(dataDir, "credentials.json"), "utf8"));
  });
  after(async () => {
    await stop(server.proc);
    rmSync(join(dataDir, ".."), { recursive: true, force: true });
  });

  test("serve prints the credentials on first start and saves them owner-only", () => {
    const out = server.out();
    assert.match(out, /created an account on first start/);
    assert.ok(out.includes(`SecretId:          ${creds.secretId}`));
    assert.ok(out.includes(`SecretKey:         ${creds.secretKey}`));
    assert.ok(out.includes(`Admin token:       ${creds.adminToken}`));
    assert.match(creds.secretId, /^AKID[A-Za-z0-9]{32}$/);
    assert.equal(statSync(join(dataDir, "credentials.json")).mode & 0o777, 0o600);
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  });

  test("keys create, with and without --json; the new key signs calls", async () => {
    const text = await cli(["keys", "create", "--data", dataDir]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^SecretId: {2}AKID\w+\nSecretKey: \w+\n$/);
    const json = await cli(["keys", "create", "--data", dataDir, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const key = JSON.parse(json.stdout);
    const port = new URL(server.url).port;
    const client = new CommonClient(`127.0.0.1:${port}`, "2026-11-01", {
      credential: { secretId: key.secretId, secretKey: key.secretKey },
      profile: { httpProfile: { endpoint: `127.0.0.1:${port}`, protocol: "http://", agent } },
    } as never);
    const res = (await client.request("Echo", { Message: "new key" })) as Record<string, unknown>;
    assert.equal(res.Message, "new key");
  });

  test("accounts create, apps create --product lcic,tiw, apps list, ingest-keys create --app", async () => {
    const account = await cli(["accounts", "create", "--name", "second", "--data", dataDir]);
    assert.equal(account.code, 0, account.stderr);
    assert.match(account.stdout, /^AccountId: acc-\w+\nSecretId: {2}AKID\w+\nSecretKey: \w+\nHuawei project id: [0-9a-f]{32}\n$/);
    const accountJson = JSON.parse((await cli(["accounts", "create", "--name", "third", "--data", dataDir, "--json"])).stdout);
    assert.match(accountJson.accountId, /^acc-/);

    const app = await cli(["apps", "create", "--product", "lcic,tiw", "--name", "classroom", "--data", dataDir]);
    assert.equal(app.code, 0, app.stderr);
    const appId = /^AppId: (\d+) \(lcic, tiw\)\n$/.exec(app.stdout)?.[1];
    assert.ok(appId, app.stdout);
    const appJson = JSON.parse((await cli(["apps", "create", "--product", "gme", "--data", dataDir, "--json"])).stdout);
    assert.deepEqual(appJson.products, ["gme"]);

    const list = await cli(["apps", "list", "--data", dataDir]);
    assert.equal(list.code, 0);
    assert.ok(list.stdout.includes(`${appId}\tlcic,tiw\tclassroom`), list.stdout);
    const listJson = JSON.parse((await cli(["apps", "list", "--data", dataDir, "--json"])).stdout);
    assert.deepEqual(
      listJson.apps.map((a: { appId: string }) => a.appId),
      [appId, appJson.appId],
    );

    const ik = await cli(["ingest-keys", "create", "--app", appId, "--data", dataDir]);
    assert.equal(ik.code, 0, ik.stderr);
    const ingestKey = /^IngestKey: (rlik_\w+)\n$/.exec(ik.stdout)?.[1];
    assert.ok(ingestKey);
    const ikJson = JSON.parse((await cli(["ingest-keys", "create", "--app", appId, "--data", dataDir, "--json"])).stdout);
    assert.equal(ikJson.appId, appId);
    const res = await fetch(`${server.url}/ingest/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
      body: JSON.stringify([{ id: "cli-1", type: "roomledger.diagnostic", ctime: 1, data: { seq: 1 } }]),
    });
    assert.equal(res.status, 200);
    const unknownApp = await cli(["ingest-keys", "create", "--app", "999", "--data", dataDir]);
    assert.equal(unknownApp.code, 1);
    assert.match(unknownApp.stderr, /NotFound: no app 999/);
  });

  test("usage errors exit 2 with a message", async () => {
    const cases: [string[], RegExp][] = [
      [[], /usage: roomledger/],
      [["frobnicate"], /unknown command: frobnicate/],
      [["apps", "create", "--data", dataDir], /--product is required/],
      [["apps", "create", "--product", "zoom", "--data", dataDir], /unknown product: zoom/],
      [["apps", "create", "--product", "lcic", "--bogus", "--data", dataDir], /bogus/],
      [["ingest-keys", "create", "--data", dataDir], /--app is required/],
      [["accounts", "create", "--data", dataDir], /--name is required/],
      [["apps", "list", "extra", "--data", dataDir], /unexpected argument: extra/],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${cases[i]![0].join(" ")}: ${r.stderr}`);
      assert.match(r.stdout + r.stderr, cases[i]![1]);
    });
  });

  test("an admin command with no running server fails clearly, without loading the product registry", async () => {
    const empty = mkdtempSync(join(tmpdir(), "roomledger-cli-empty-"));
    // A module hook reports whether a command loaded the product registry, and with it every
    // product's modules (src/cli/products.ts: only the commands that name products load it).
    const probe = `import { registerHooks } from "node:module"; let loaded = false;
      registerHooks({ load(url, context, next) { loaded ||= url.endsWith("/src/products/registry.ts"); return next(url, context); } });
      process.on("exit", () => process.stderr.write("registry loaded: " + loaded + "\\n"));`;
    const probed = (args: string[]) =>
      runCli(args, { ...cleanEnv(), NODE_OPTIONS: `--import data:text/javascript,${encodeURIComponent(probe)}` });
    try {
      const r = await probed(["apps", "list", "--data", empty]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no running server found/);
      assert.match(r.stderr, /^registry loaded: false$/m);
      const help = await probed(["apps", "create", "--help"]);
      assert.match(help.stdout, /products \(lcic, tiw, gme, trro, rtc;/);
      assert.match(help.stderr, /^registry loaded: true$/m);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test("second start: no credentials printed; a stopped server is reported; secrets are stored hashed", async () => {
    await stop(server.proc);
    const down = await cli(["apps", "list", "--data", dataDir]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach the admin API at http:\/\/127\.0\.0\.1:\d+/);

    // While stopped, the database shows only hashes of admin tokens and ingest keys.
    const db = await openPglite(join(dataDir, "pgdata"));
    try {
      const tokens = await db.query<{ token_hash: string }>("select token_hash from admin_tokens");
      assert.ok(tokens.rows.length > 0);
      for (const r of tokens.rows) assert.match(r.token_hash, /^[0-9a-f]{64}$/);
      assert.ok(!tokens.rows.some((r) => r.token_hash === creds.adminToken));
      const keys = await db.query<{ key_hash: string }>("select key_hash from ingest_keys");
      for (const r of keys.rows) assert.match(r.key_hash, /^[0-9a-f]{64}$/);
    } finally {
      await db.close();
    }

    server = await serve(dataDir);
    assert.doesNotMatch(server.out(), /created an account/);
    assert.doesNotMatch(server.out(), new RegExp(creds.secretKey));
    const again = JSON.parse(readFileSync(join(dataDir, "credentials.json"), "utf8"));
    assert.equal(again.secretId, creds.secretId);
    assert.equal(again.adminToken, creds.adminToken);
    const list = await cli(["apps", "list", "--data", dataDir, "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).apps.length, 2);
  });
});
