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
import { snapshotWanted } from "../../src/storage/early-start.ts";
import { holdWasmTierUp, releaseWasmTierUp, wasmTierUpHeld } from "../../src/storage/wasm-tiering.ts";
import { spawnServe, waitFor } from "../support/harness.ts";

const work = mkdtempSync(join(tmpdir(), "roomledger-early-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The start-up line of a `serve` on `dataDir`, once it listens. */
async function startUpLine(dataDir: string): Promise<{ earlyStart: Record<string, boolean>; wasmTierUpHeld: boolean; upAfterMs: number }> {
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
    return JSON.parse(line);
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
