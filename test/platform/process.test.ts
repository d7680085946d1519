// The roomledger process as a supervisor, a shell or npm sees it: --version and --help, usage
// errors (exit 2, one line and a usage line, no stack), a port in use (exit 1, one line), free
// ports for both listeners with --port 0, the ports written once both listen, SIGTERM to
// `npm start`, and the GME recording switch command.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, ROOT, runCli, TEST_ADMIN_TOKEN, TEST_SECRET_ID, TEST_SECRET_KEY } from "../support/server.ts";
import { ENVIRONMENT } from "../../src/config.ts";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
const env = {
  ...process.env,
  ROOMLEDGER_SECRET_ID: TEST_SECRET_ID,
  ROOMLEDGER_SECRET_KEY: TEST_SECRET_KEY,
  ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
};
const work = mkdtempSync(join(tmpdir(), "roomledger-process-"));
const procs: ChildProcess[] = [];
after(async () => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
});

function launch(
  cmd: string,
  args: string[],
  cwd = ROOT,
): { proc: ChildProcess; out: () => string; listening: () => Promise<{ url: string; adminUrl: string }> } {
  const proc = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  procs.push(proc);
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  const listening = async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const m = /listening on (http:\S+) \(admin (http:\S+),/.exec(out);
      if (m) return { url: m[1]!, adminUrl: m[2]! };
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`not listening (exit ${proc.exitCode}):\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { proc, out: () => out, listening };
}

async function gone(url: string): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (
      !(await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
        () => true,
        () => false,
      ))
    )
      return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

test("--version, --help and <command> --help; every environment variable read is listed in serve --help and the README", async () => {
  const version = await runCli(["--version"]);
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `roomledger ${pkg.version}\n`);
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}serve /m);
  assert.match(help.stdout, /^ {2}gme recording /m);
  const serveHelp = await runCli(["serve", "--help"]);
  assert.equal(serveHelp.code, 0, serveHelp.stderr);
  assert.match(serveHelp.stdout, /^ {2}--in-memory /m);
  const read = new Set([...readFileSync(join(ROOT, "src", "config.ts"), "utf8").matchAll(/\benv\.([A-Z_]+)/g)].map((m) => m[1]!));
  assert.ok(read.size >= 15, [...read].join(" "));
  assert.deepEqual(
    [...read].filter((v) => !ENVIRONMENT.some((e) => e.name === v)),
    [],
    "read by config.ts, missing from ENVIRONMENT",
  );
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  for (const { name } of ENVIRONMENT) {
    assert.match(serveHelp.stdout, new RegExp(`^ {2}${name} `, "m"));
    assert.ok(readme.includes(`\`${name}\``), `the README lists ${name}`);
  }
  const appsHelp = await runCli(["apps", "create", "--help"]);
  assert.equal(appsHelp.code, 0);
  assert.match(appsHelp.stdout, /^usage: roomledger apps create \[options\]/);
});

test("a wrong command, flag or value: exit 2, the reason and one usage line, no stack trace", async () => {
  const cases: [string[], RegExp, string][] = [
    [[], /^roomledger: no command given$/, "usage: roomledger <command>"],
    [["serve", "--bogus"], /^roomledger: unknown option --bogus$/, "usage: roomledger serve [options]"],
    [["serve", "--port", "x"], /^roomledger: --port must be a non-negative integer, got x$/, "usage: roomledger serve [options]"],
    [
      ["serve", "--port", "70000"],
      /^roomledger: --port must be a port number \(0\.\.65535\), got 70000$/,
      "usage: roomledger serve [options]",
    ],
    [["serve", "--in-memory", "--database-url", "postgres://x/y"], /exclude each other$/, "usage: roomledger serve [options]"],
    [
      ["gme", "recording", "--app", "1", "--open", "--close"],
      /^roomledger: --open and --close exclude each other$/,
      "usage: roomledger gme recording",
    ],
    [["frobnicate"], /^roomledger: unknown command: frobnicate$/, "usage: roomledger <command>"],
  ];
  const runs = await Promise.all(cases.map(([args]) => runCli(args, env)));
  runs.forEach((r, i) => {
    const [args, reason, usage] = cases[i]!;
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, reason);
    assert.ok(lines[1]!.startsWith(usage), lines[1]);
  });
});

describe("a server in memory on --port 0", () => {
  let server: ReturnType<typeof launch>;
  let urls: { url: string; adminUrl: string };
  before(async () => {
    server = launch(process.execPath, [BIN, "serve", "--in-memory", "--dev", "--port", "0", "--log-level", "warn"]);
    urls = await server.listening();
  });
  after(async () => {
    server.proc.kill("SIGTERM");
    await gone(urls.url);
  });

  test("--port 0 picks a free admin port too; /healthz reports version, storage and products", async () => {
    assert.notEqual(new URL(urls.adminUrl).port, "8788");
    const health = (await (await fetch(`${urls.url}/healthz`)).json()) as Record<string, unknown>;
    assert.equal(health.status, "ok");
    assert.equal(health.version, pkg.version);
    assert.equal(health.storage, "pglite");
    assert.equal(health.inMemory, true);
    assert.deepEqual(health.products, ["roomledger", "lcic", "tiw", "gme", "trro", "rtc"]);
    assert.match(server.out(), new RegExp(`SecretId: +${TEST_SECRET_ID}`), "the pinned credentials are printed");
  });

  test("a port in use: exit 1 with one line, no stack trace, no hang", async () => {
    const port = new URL(urls.url).port;
    const r = await runCli(["serve", "--in-memory", "--port", port, "--admin-port", "0", "--log-level", "warn"], env);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, `roomledger: cannot listen on 127.0.0.1:${port}: the port is in use\n`);
  });

  test("gme recording: shows, opens, closes the switch and sets the empty-room stop", async () => {
    const admin = ["--admin-url", urls.adminUrl];
    const app = await runCli(["apps", "create", "--product", "gme", "--json", ...admin], env);
    assert.equal(app.code, 0, app.stderr);
    const bizId = (JSON.parse(app.stdout) as { appId: string }).appId;
    const gme = (...args: string[]) => runCli(["gme", "recording", "--app", bizId, ...args, ...admin], env);
    assert.equal((await gme()).stdout, `GME ${bizId}: recording closed, an emptied room stops recording after 60 s\n`);
    assert.equal((await gme("--open")).stdout, `GME ${bizId}: recording open, an emptied room stops recording after 60 s\n`);
    assert.equal(
      (await gme("--empty-room-stop", "never")).stdout,
      `GME ${bizId}: recording open, an emptied room records until StopRecord\n`,
    );
    const closed = await gme("--close", "--empty-room-stop", "30", "--json");
    assert.deepEqual(JSON.parse(closed.stdout), { bizId, opened: false, emptyRoomStopSeconds: 30 });
    const missing = await runCli(["gme", "recording", "--app", "999", ...admin], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^roomledger: NotFound: no GME app 999\n$/);
  });
});

test("SIGTERM to `npm start` stops the server; the ports bound are in the data directory", async () => {
  const data = join(work, "npm-start");
  const npm = launch("npm", ["start", "--", "--port", "0", "--data", data, "--log-level", "warn"]);
  const { url, adminUrl } = await npm.listening();
  const saved = JSON.parse(readFileSync(join(data, "credentials.json"), "utf8")) as { url: string; adminUrl: string };
  assert.deepEqual([saved.url, saved.adminUrl], [url, adminUrl]);
  npm.proc.kill("SIGTERM");
  assert.ok(await gone(url), `the server still answers after SIGTERM to npm:\n${npm.out()}`);
});
