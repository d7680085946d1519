// PGlite's two large artifacts, read once per process and as early as possible: its
// WebAssembly module (compiled) and its file-system bundle (pglite.data: PostgreSQL's share/
// and lib/ files, which PGlite unpacks into its memory file system at every start).
// bin/roomledger.js starts both before loading the server's modules (early-start.ts);
// openPglite() then hands them to PGlite (its pgliteWasmModule and fsBundle options) instead
// of letting PGlite read them itself. This module imports nothing of PGlite: starting them
// must not wait for PGlite's own code to load.
//
// The files are read synchronously (9 MB and 6 MB from the page cache: a few ms). An
// asynchronous read goes in 512 KB pieces, each waiting for the main thread between two
// modules being loaded: measured, the compile then started ~0.5 s after the call instead of
// at once.
//
// At run time this module loads only node:fs: the early start's thread
// (early-start-worker.ts) imports it too, and must load fast.
import { readFileSync } from "node:fs";
import type { PGliteOptions } from "@electric-sql/pglite";

// The project's TypeScript library (es2024, no DOM) declares no WebAssembly global.
type WasmModule = NonNullable<PGliteOptions["pgliteWasmModule"]>;
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> } }).WebAssembly;

/** Where PGlite's pglite.wasm and pglite.data are. */
export const pgliteArtifact = (name: "pglite.wasm" | "pglite.data") => new URL(`./${name}`, import.meta.resolve("@electric-sql/pglite"));

let compiled: Promise<WasmModule> | null = null;
let bundle: Promise<ArrayBuffer> | null = null;

/** PGlite's pglite.wasm, compiled (started on the first call, shared by every later one). */
export function pgliteWasm(): Promise<WasmModule> {
  compiled ??= compilePgliteWasm();
  return compiled;
}

/** Reads and compiles pglite.wasm on this thread (async: a failed read becomes the rejection). */
export async function compilePgliteWasm(file: URL | string = pgliteArtifact("pglite.wasm")): Promise<WasmModule> {
  return wasm.compile(readFileSync(file));
}

/**
 * Takes the compiled module and the bundle made elsewhere (the early start's thread:
 * early-start.ts) instead of making them here; a first call wins, as with the others.
 */
export function adoptPgliteArtifacts(module: Promise<WasmModule>, fsBundle: Promise<ArrayBuffer>): void {
  compiled ??= module;
  compiled.catch(() => {}); // awaited, and its failure seen, by openPglite()
  bundle ??= fsBundle;
  bundle.catch(() => {});
}

/** Starts reading pglite.data; the next pgliteFsBundle() takes it. */
export function prefetchPgliteFsBundle(): void {
  bundle ??= readBundle();
  bundle.catch(() => {}); // taken later, or never; a failure is seen by whoever takes it
}

/**
 * PGlite's pglite.data, as PGlite's fsBundle option: the prefetched one, else read now. Each
 * call gets one of its own: PGlite's loader hands the bundle's files to its memory file system
 * as views into it (no copy), so a bundle serves one database. PGlite only calls the option's
 * arrayBuffer(), and checks its size against the bundle's index (a wrong file is refused).
 */
export function pgliteFsBundle(): NonNullable<PGliteOptions["fsBundle"]> {
  const taken = bundle ?? readBundle();
  bundle = null;
  // PGlite passes its options on to the second instance that runs initdb for a new cluster
  // (a start without the snapshot): that one gets a copy.
  let calls = 0;
  const arrayBuffer = () => (calls++ === 0 ? taken : taken.then((b) => b.slice(0)));
  return { arrayBuffer } as unknown as NonNullable<PGliteOptions["fsBundle"]>;
}

/** Reads pglite.data on this thread (from `file`: the early start's thread passes its URL). */
export async function readBundle(file: URL | string = pgliteArtifact("pglite.data")): Promise<ArrayBuffer> {
  return ownBuffer(readFileSync(file));
}

/**
 * Bytes as an ArrayBuffer of their own, to hand on or transfer to another thread: a file this
 * size has a buffer of its own (Node pools only small ones), so no copy; else the copy of the
 * bytes alone.
 */
export function ownBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
}
