// What a `serve` on the embedded database can start before its modules load: compiling
// PGlite's WebAssembly, reading PGlite's file-system bundle, and reading and inflating the
// migrated snapshot when a new database will be made from it. bin/roomledger.js calls this
// before it loads the command line. All of it runs in a thread of its own
// (early-start-worker.ts) while the main thread spends ~0.4 s loading modules; the main thread
// takes the results when PGlite starts. It guesses from the arguments and environment alone
// (config.ts reads them properly later, and `serve` makes the same calls where it is sure: a
// second call shares the first): a wrong guess costs work nobody awaits, and `serve` lets go
// of a snapshot it will not use.
//
// It also raises V8's WebAssembly tiering budget for the start (wasm-tiering.ts), before
// PGlite's instance is made; `serve` puts it back once it listens.
//
// A thread that cannot start, or fails to make one of them, costs no start: what it did not
// deliver is made on the main thread as before (pglite-wasm.ts, snapshot.ts), and an error
// there is the one the start reports.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { adoptPgliteArtifacts, compilePgliteWasm, pgliteArtifact, readBundle } from "./pglite-wasm.ts";
import { adoptSnapshot, loadSnapshot, parseSnapshot, snapshotFileUrl } from "./snapshot.ts";
import type { EarlyStartMark, EarlyStartMessage, EarlyStartRequest } from "./early-start-worker.ts";
import { startMark, threadMark } from "./start-marks.ts";
import { holdWasmTierUp } from "./wasm-tiering.ts";

type Artifact = EarlyStartMessage["artifact"];

/** Which artifacts the early start's thread delivered (serve logs it at debug level: start-up). */
export const earlyStart: Record<Artifact, boolean> = { wasm: false, bundle: false, snapshot: false };

export function startEarly(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  startMark("early start: called");
  if (argv[0] !== "serve" || env.DATABASE_URL) return;
  if (argv.some((a) => a === "--database-url" || a.startsWith("--database-url="))) return;
  const snapshot = snapshotWanted(argv, env);
  holdWasmTierUp(process.execArgv, env);
  const request: EarlyStartRequest = {
    wasm: pgliteArtifact("pglite.wasm").href,
    bundle: pgliteArtifact("pglite.data").href,
    snapshot: snapshot ? snapshotFileUrl : null,
  };
  // Each artifact: what the thread delivers, else (it failed, or died first) made here.
  const pending = new Map<Artifact, { deliver(value: unknown): void; here(): void }>();
  function expect<T>(artifact: Artifact, delivered: (value: unknown) => T | Promise<T>, here: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve) =>
      pending.set(artifact, {
        deliver: (value) => resolve(delivered(value)),
        here: () => resolve(here()),
      }),
    );
  }
  const wasm = expect("wasm", (m) => m as never, compilePgliteWasm);
  const bundle = expect("bundle", (b) => b as ArrayBuffer, readBundle);
  const tar = snapshot
    ? expect(
        "snapshot",
        (t) => (t === null ? null : parseSnapshot(new Uint8Array(t as ArrayBuffer))),
        () => loadSnapshot(),
      )
    : null;
  const makeRestHere = () => {
    for (const p of pending.values()) p.here();
    pending.clear();
  };
  try {
    // The sources run the TypeScript file, dist/ its JavaScript (tsc rewrites imports, not URLs).
    const file = new URL(`./early-start-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
    const worker = new Worker(file, { workerData: request, stdout: false, stderr: false });
    worker.on("message", (m: EarlyStartMessage | EarlyStartMark) => {
      if ("mark" in m) return threadMark(m.mark, "early start", m.at, m.cpuMs);
      const p = pending.get(m.artifact);
      if (!p) return;
      pending.delete(m.artifact);
      if ("error" in m) return p.here();
      earlyStart[m.artifact] = true;
      p.deliver(m.artifact === "wasm" ? m.module : m.artifact === "bundle" ? m.buffer : m.tar);
    });
    worker.on("error", makeRestHere);
    worker.on("exit", makeRestHere);
  } catch {
    makeRestHere();
  }
  adoptPgliteArtifacts(wasm, bundle);
  if (tar) adoptSnapshot(tar);
  startMark("early start: thread started");
}

/** Whether a `serve` with these arguments will make a new database (in memory, or a data directory without one). */
export function snapshotWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const inMemory = argv.includes("--in-memory") || env.ROOMLEDGER_IN_MEMORY === "1" || env.ROOMLEDGER_IN_MEMORY === "true";
  return inMemory || !existsSync(join(resolve(flag(argv, "--data") ?? env.ROOMLEDGER_DATA ?? ".roomledger"), "pgdata", "PG_VERSION"));
}

/** A flag's value, as `--name value` or `--name=value`. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i]!.startsWith(`${name}=`)) return argv[i]!.slice(name.length + 1);
  }
  return undefined;
}
