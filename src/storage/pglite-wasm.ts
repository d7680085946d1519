// PGlite's WebAssembly module, compiled once per process and as early as possible. V8
// compiles it on background threads, so `serve` starts it before loading the server's
// modules (Fastify, the products, ...) and both proceed at once on a machine with more than
// one core; openPglite() then hands the compiled module to PGlite (its pgliteWasmModule
// option) instead of letting PGlite read and compile the file itself. This module imports
// nothing of PGlite: starting the compile must not wait for PGlite's own code to load.
import { readFile } from "node:fs/promises";
import type { PGliteOptions } from "@electric-sql/pglite";

// The project's TypeScript library (es2024, no DOM) declares no WebAssembly global.
type WasmModule = NonNullable<PGliteOptions["pgliteWasmModule"]>;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

let compiled: Promise<WasmModule> | null = null;

/** PGlite's pglite.wasm, compiled (started on the first call, shared by every later one). */
export function pgliteWasm(): Promise<WasmModule> {
  compiled ??= readFile(new URL("./pglite.wasm", import.meta.resolve("@electric-sql/pglite"))).then((bytes) => wasm.compile(bytes));
  return compiled;
}
