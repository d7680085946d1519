// Every command of README.md, run: the fenced ```sh blocks line by line and the ```js tour
// script, in a scratch directory inside the project (so that `tour.mjs` resolves the
// project's node_modules, as it does for a reader who saves it there). `npx roomledger` is
// the project's bin/roomledger.js; `npm start` is `roomledger serve` on free ports (checked
// through /healthz). A command this test does not know how to run fails it, so the README
// cannot gain a command that nothing runs.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../support/harness.ts";
import { BIN, ROOT } from "../support/server.ts";
import { freshDatabase, postgresAvailable } from "../support/postgres.ts";

interface Block {
  lang: string;
  body: string;
}

export function fencedBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) out.push({ lang: m[1]!, body: m[2]! });
  return out;
}

/** The commands of a sh block: one per line, comments and blank lines left out. */
const commandsOf = (body: string): string[] =>
  body
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));

const background: ChildProcess[] = [];
const work = mkdtempSync(join(ROOT, ".readme-test-"));
after(async () => {
  for (const p of background) {
    if (p.exitCode === null && p.signalCode === null) {
      p.kill("SIGTERM");
      await new Promise((r) => p.once("exit", r));
    }
  }
  rmSync(work, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}): { proc: ChildProcess; out: () => string } {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  background.push(proc);
  return { proc, out: () => out };
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, [file, ...args], { cwd: work, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (out += d));
  return new Promise((resolve) => proc.once("exit", (code) => resolve({ code, out })));
}

/** Starts `roomledger serve` on free ports and checks /healthz; returns its storage. */
async function serveAndCheck(env: Record<string, string>, data: string): Promise<string> {
  const s = start(["serve", "--port", "0", "--admin-port", "0", "--data", data, "--log-level", "warn"], env);
  const m = await waitFor("`npm start` listening", () => /listening on (http:\/\/\S+) /.exec(s.out()), s.proc, s.out, 240_000);
  const health = (await (await fetch(`${m[1]}/healthz`)).json()) as { status: string; storage: string };
  assert.equal(health.status, "ok");
  return health.storage;
}

test("every command of the README runs", async () => {
  // The emulator section runs against the packed package, in test/package/pack.test.ts.
  const readme = readFileSync(join(ROOT, "README.md"), "utf8").replace(/^## Emulator[\s\S]*?(?=^## )/m, "");
  const blocks = fencedBlocks(readme);
  const tour = blocks.filter((b) => b.lang === "js");
  assert.equal(tour.length, 1, "the README has one js block: the tour script");
  const ran: string[] = [];
  for (const block of blocks.filter((b) => b.lang === "sh")) {
    for (const line of commandsOf(block.body)) {
      let m: RegExpExecArray | null;
      if (line === "npm install && npm start") {
        // `npm install` would reinstall the shared dependencies under a running test suite;
        // the install itself is what `npm ci` in CI does. `npm start` is run: the server on
        // the embedded database in ./.roomledger, answering /healthz.
        assert.equal(await serveAndCheck({}, ".roomledger"), "pglite");
      } else if (line === "npm test") {
        // Skipped: this test is part of `npm test`; running it here would recurse.
        continue;
      } else if ((m = /^DATABASE_URL=postgres:\/\/\S+ npm start$/.exec(line))) {
        // The README's URL is a placeholder: the run's own PostgreSQL stands in for it.
        if (!postgresAvailable()) continue;
        assert.equal(await serveAndCheck({ DATABASE_URL: await freshDatabase() }, ".roomledger-pg"), "postgres");
      } else if ((m = /^npx roomledger (.+)$/.exec(line))) {
        assert.doesNotMatch(m[1]!, /["'`$]/, `quoting is not supported here: ${line}`);
        const args = m[1]!.split(/\s+/);
        if (args.includes("--keep")) {
          // The demo keeps serving: it runs in the background while the tour script calls it.
          const s = start(args);
          await waitFor("the demo to keep serving", () => /keeps serving on/.exec(s.out()), s.proc, s.out, 240_000);
          assert.match(s.out(), /LCIC DescribeRoomStatistics/);
          // It prints the web console's URL, which answers (a visitor is sent to sign in).
          const consoleUrl = /The web console: (http\S+\/console\/)/.exec(s.out())?.[1];
          assert.ok(consoleUrl, s.out());
          const res = await fetch(consoleUrl, { redirect: "manual" });
          assert.equal(res.headers.get("location"), "/console/sign-in");
        } else {
          const r = await run(BIN, args);
          assert.equal(r.code, 0, `${line}\n${r.out}`);
          if (args[0] === "simulate") assert.match(r.out, /achieved of \d+\/s requested/);
        }
      } else if (line === "node tour.mjs") {
        writeFileSync(join(work, "tour.mjs"), tour[0]!.body);
        const r = await run(join(work, "tour.mjs"), []);
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, /^LCIC members: 32 peak: \d+ messages: \d+$/m);
        assert.match(r.out, /^TIW push: STOPPED USER_CALL exceptions: 1$/m);
        assert.match(r.out, /^GME files: (\S+=14 ?)+$/m);
        assert.match(r.out, /^TRRO sessions: ([a-z0-9]+-c\d+s\d+ ?)+$/m);
        assert.match(r.out, /^RTC vbit points: 1350$/m);
      } else {
        assert.fail(`a README command this test cannot run: ${line}`);
      }
      ran.push(line);
    }
  }
  assert.ok(ran.some((l) => l.includes("demo")) && ran.includes("node tour.mjs"), ran.join("\n"));
});
