// The early start's thread (early-start.ts starts it): reads and compiles PGlite's
// WebAssembly, reads its file-system bundle and, when asked, reads and inflates the migrated
// snapshot, and posts each to the main thread as soon as it is ready. On the main thread these
// cost ~0.15 s of a cold start that it spends loading modules instead (WebAssembly.compile
// alone blocks its caller ~80 ms copying and checking 9 MB before it compiles anything, and on
// the bench machine each MB of new memory costs ~5 ms of page faults). A compiled module
// crosses threads without a copy; the two buffers are transferred, not copied.
//
// This file imports nothing but Node's own modules (it starts in a thread of its own and must
// load fast), and is run as it is, unbundled, from the sources or dist/.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parentPort, workerData } from "node:worker_threads";

/** What the main thread asks for: the files' URLs (snapshot null: not wanted). */
export interface EarlyStartRequest {
  wasm: string;
  bundle: string;
  snapshot: string | null;
}

/** One message per artifact, in the order they are ready; `error`: why it could not be made. */
export type EarlyStartMessage =
  | { artifact: "wasm"; module: unknown }
  | { artifact: "bundle"; buffer: ArrayBuffer }
  | { artifact: "snapshot"; tar: ArrayBuffer | null }
  | { artifact: "wasm" | "bundle" | "snapshot"; error: string };

const request = workerData as EarlyStartRequest;
const post = (message: EarlyStartMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);

/** A file's bytes as an ArrayBuffer of their own (a file this size never shares Node's pool). */
function own(bytes: Buffer): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
}

async function run(artifact: EarlyStartMessage["artifact"], make: () => Promise<void> | void): Promise<void> {
  try {
    await make();
  } catch (err) {
    post({ artifact, error: (err as Error).message });
  }
}

const wasm = run("wasm", async () => {
  const compile = (globalThis as unknown as { WebAssembly: { compile(b: Uint8Array): Promise<unknown> } }).WebAssembly.compile;
  post({ artifact: "wasm", module: await compile(readFileSync(new URL(request.wasm))) });
});
await run("bundle", () => {
  const buffer = own(readFileSync(new URL(request.bundle)));
  post({ artifact: "bundle", buffer }, [buffer]);
});
if (request.snapshot !== null) {
  await run("snapshot", () => {
    let gz: Buffer;
    try {
      gz = readFileSync(new URL(request.snapshot!));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      post({ artifact: "snapshot", tar: null }); // a build without one (snapshot.ts)
      return;
    }
    // gzip's last four bytes are the inflated size (mod 2^32): one output chunk of exactly
    // that size, no concatenation afterwards.
    const tar = own(gunzipSync(gz, { chunkSize: Math.max(gz.readUInt32LE(gz.length - 4), 64 * 1024) }));
    post({ artifact: "snapshot", tar }, [tar]);
  });
}
await wasm;
