// The early start (src/storage/early-start.ts): `serve` on the embedded database has PGlite's
// WebAssembly compiled, its file-system bundle read and, for a new database, the migrated
// snapshot read by a thread of its own while the main thread loads the server's modules. The
// start would still work without it (the main thread makes what the thread did not), only
// slower, so nothing else fails if it stops happening: this reads the start-up line (debug)
// that says which artifacts the thread delivered.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StartTrace } from "../../src/cli/start-trace.ts";
import { snapshotWanted } from "../../src/storage/early-start.ts";
import { holdWasmTierUp, releaseWasmTierUp, wasmTierUpHeld } from "../../src/storage/wasm-tiering.ts";
import { spawnServe, waitFor } from "../support/harness.ts";

const work = mkdtempSync(join(tmpdir(), "roomledger-early-"));
after(() => rmSync(work, { recursive: true, force: true }));

interface StartUpLine {
  earlyStart: Record<string, boolean>;
  wasmTierUpHeld: boolean;
  upAfterMs: number;
  /** The start's timeline to its first answer (src/cli/start-trace.ts), logged once a request was answered. */
  trace: StartTrace;
}

/** The start-up line of a `serve` on `dataDir`, once it listens, and its trace once it answered a request. */
async function startUpLine(dataDir: string): Promise<StartUpLine> {
  const server = await spawnServe({
    dataDir,
    args: ["--log-level", "debug"],
    env: { ROOMLEDGER_SECRET_ID: "", ROOMLEDGER_SECRET_KEY: "" },
  });
  try {
    // The log's writes may reach the pipe after the "listening on" line.
    const m = await waitFor("the start-up line", () => /^.*"msg":"start-up".*$/m.exec(server.output()), server.proc, server.output, 10_000);
    const line = m[0];
    assert.ok(line, `a start-up line in:\n${server.output()}`);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const t = await waitFor(
      "the start-up trace",
      () => /^.*"msg":"start-up trace".*$/m.exec(server.output()),
      server.proc,
      server.output,
      10_000,
    );
    return { ...JSON.parse(line), trace: JSON.parse(t[0]).trace };
  } finally {
    await server.stop();
  }
}

test("serve takes PGlite's artifacts from the early start's thread, and the snapshot only for a new database", {
  timeout: 120_000,
}, async () => {
  const dataDir = join(work, "data");
  const fresh = await startUpLine(dataDir);
  assert.deepEqual(fresh.earlyStart, { wasm: true, bundle: true, snapshot: true });
  // PGlite started under the raised WebAssembly tiering budget (the pinned Node 24: V8 13).
  assert.equal(fresh.wasmTierUpHeld, true);
  // The trace (the cold-start bench's timeline): the start's marks in the order they happen,
  // each with the CPU time of its thread (Node 24 has threadCpuUsage), to the first answer.
  const { marks, threads } = fresh.trace;
  const at = (name: string) => {
    const m = marks.find((x) => x.name === name);
    assert.ok(m, `mark ${name} in ${JSON.stringify(marks.map((x) => x.name))}`);
    return m;
  };
  const order = ["early start: called", "command line: loaded", "serve: server's modules loaded", "pglite: wasm and fs bundle in hand"];
  // (A new data directory: the snapshot is written to disk before PGlite starts, so the marks
  // of PGlite's file system in memory are not there.)
  order.push("pglite: ready", "server: migrated");
  order.push("server: account bootstrapped", "server: listening", "first request in", "first answer out");
  for (let i = 1; i < order.length; i++) assert.ok(at(order[i - 1]!).ms <= at(order[i]!).ms, `${order[i - 1]} before ${order[i]}`);
  // The routes are registered while the database opens (storage/deferred-db.ts), before the listeners open.
  assert.ok(at("serve: server's modules loaded").ms <= at("server: routes registered").ms);
  assert.ok(at("server: routes registered").ms <= at("server: listening").ms);
  for (const name of [...order, "server: routes registered"]) assert.equal(at(name).thread, "main");
  assert.ok(at("first answer out").threadCpuMs! > at("early start: called").threadCpuMs!);
  assert.ok(at("first answer out").processCpuMs! >= at("first answer out").threadCpuMs!);
  const thread = at("early start thread: wasm read and compiled");
  assert.equal(thread.thread, "early start");
  assert.equal(thread.processCpuMs, null);
  assert.ok(thread.threadCpuMs! > 0);
  assert.ok(
    threads.some((t) => t.name === "MainThread" && t.cpuMs > 0),
    JSON.stringify(threads),
  );
  // The database exists now: a second serve on it asks for no snapshot (one start, not two:
  // the suite's time), in memory always does.
  assert.equal(snapshotWanted(["serve", "--data", dataDir], {}), false);
  assert.equal(snapshotWanted(["serve", `--data=${dataDir}`], {}), false);
  assert.equal(snapshotWanted(["serve"], { ROOMLEDGER_DATA: dataDir }), false);
  assert.equal(snapshotWanted(["serve", "--data", dataDir, "--in-memory"], {}), true);
  assert.equal(snapshotWanted(["serve", "--data", join(work, "none")], {}), true);
});

test("the start's WebAssembly tiering budget: only on V8 13, not when the command line sets one, and put back", () => {
  assert.equal(holdWasmTierUp([], {}, "12.4.254.21-node.33"), false);
  assert.equal(holdWasmTierUp(["--wasm-tiering-budget=5000000"], {}, "13.6.233.17-node.53"), false);
  assert.equal(holdWasmTierUp([], { NODE_OPTIONS: "--wasm_tiering_budget=5000000" }, "13.6.233.17-node.53"), false);
  assert.equal(wasmTierUpHeld(), false);
  assert.equal(holdWasmTierUp([], {}, "13.6.233.17-node.53"), true);
  assert.equal(wasmTierUpHeld(), true);
  releaseWasmTierUp();
  assert.equal(wasmTierUpHeld(), false);
});
