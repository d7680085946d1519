// PostgreSQL's start-up code is hot once, not again: V8 should not optimize it. V8 runs each
// WebAssembly function first as Liftoff's quick code and gives it to TurboFan, its optimizing
// compiler, once it has run ~13 MB of that code (its tiering budget, per function). PGlite's
// start (PostgreSQL's recovery, catalog caches) and the first statements use up that budget
// for dozens of functions, and TurboFan then optimizes them on V8's background threads: on the
// bench machine ~0.6 s of CPU and ~25,000 page faults (~100 MB of glibc's heap) in a cold
// start, on a 2-core machine beside the main thread's own start. Few of them are hot later.
//
// So `serve` on the embedded database starts with a budget of 1,000 MB (bin/roomledger.js,
// through the early start, before PGlite's instance is made: V8 gives each instance's
// functions the budget in force when it is made) and puts V8's own back once the server
// listens (commands.ts). A function's budget is reset to the flag's value each time it runs
// out, so the large one applies once per function: a function hot in service reaches TurboFan
// after ~1 GB of its code has run instead of 13 MB (a primary-key read ran as fast from its
// second 1,500 queries on, and the start touched ~95 MB less; `npm run bench -- cold-start`,
// BENCHMARKS.md).
//
// V8 13 (Node 24) has 13,000,000 as its default; older V8s had other values, and nothing reads
// a flag back, so on those (Node 22), or when the command line sets the budget itself, the
// start keeps V8's.
import { setFlagsFromString } from "node:v8";

const FLAG = "--wasm-tiering-budget";
/** The budget while the server starts. */
export const START_UP_TIERING_BUDGET = 1_000_000_000;
/** V8 13's default, put back after the start. */
const V8_13_TIERING_BUDGET = 13_000_000;

let held = false;

/** Whether the start's budget is in force (the start-up log line says it: a test reads it). */
export const wasmTierUpHeld = (): boolean => held;

/** Raises the tiering budget for the start (see above); false: left as it is. */
export function holdWasmTierUp(execArgv: readonly string[], env: NodeJS.ProcessEnv, v8Version = process.versions.v8): boolean {
  if (held) return true;
  if (Number(v8Version.split(".")[0]) !== 13) return false;
  if ([...execArgv, env.NODE_OPTIONS ?? ""].some((a) => a.includes(FLAG) || a.includes("--wasm_tiering_budget"))) return false;
  setFlagsFromString(`${FLAG}=${START_UP_TIERING_BUDGET}`);
  held = true;
  return true;
}

/** Puts V8's budget back (the server is up); a no-op when none was held. */
export function releaseWasmTierUp(): void {
  if (!held) return;
  held = false;
  setFlagsFromString(`${FLAG}=${V8_13_TIERING_BUDGET}`);
}
