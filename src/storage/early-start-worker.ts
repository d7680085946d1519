// The early start's thread (early-start.ts starts it): reads and compiles PGlite's
// WebAssembly, reads its file-system bundle and, when asked, reads and inflates the migrated
// snapshot, and posts each to the main thread as soon as it is ready. On the main thread these
// cost ~0.15 s of a cold start that it spends loading modules instead (WebAssembly.compile
// alone blocks its caller ~80 ms copying and checking 9 MB before it compiles anything, and on
// the bench machine each MB of new memory costs ~5 ms of page faults). A compiled module
// crosses threads without a copy; the two buffers are transferred, not copied.
//
// This file and what it imports (pglite-wasm.ts, snapshot.ts and its tar.ts) load nothing
// else but Node's own modules at run time (it starts in a thread of its own and must load
// fast); it is run as it is, unbundled, from the sources or dist/.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { compilePgliteWasm, ownBuffer, readBundle } from "./pglite-wasm.ts";
import { inflateSnapshot } from "./snapshot.ts";
import { threadCpuMs } from "./start-marks.ts";

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

/** A moment of this thread's work for the start's marks (start-marks.ts): epoch ms, this thread's CPU ms. */
export interface EarlyStartMark {
  mark: string;
  at: number;
  cpuMs: number | null;
}

const request = workerData as EarlyStartRequest;
const post = (message: EarlyStartMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(message, transfer);
const mark = (name: string) =>
  parentPort!.postMessage({ mark: name, at: performance.timeOrigin + performance.now(), cpuMs: threadCpuMs() } satisfies EarlyStartMark);
mark("early start thread: running");

async function run(artifact: EarlyStartMessage["artifact"], make: () => Promise<void> | void): Promise<void> {
  try {
    await make();
  } catch (err) {
    post({ artifact, error: (err as Error).message });
  }
}

const wasm = run("wasm", async () => {
  const module = await compilePgliteWasm(new URL(request.wasm));
  mark("early start thread: wasm read and compiled");
  post({ artifact: "wasm", module });
});
await run("bundle", async () => {
  const buffer = await readBundle(new URL(request.bundle));
  mark("early start thread: fs bundle read");
  post({ artifact: "bundle", buffer }, [buffer]);
});
if (request.snapshot !== null) {
  await run("snapshot", async () => {
    let gz: Buffer;
    try {
      gz = readFileSync(new URL(request.snapshot!));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      post({ artifact: "snapshot", tar: null }); // a build without one (snapshot.ts)
      return;
    }
    const tar = ownBuffer(await inflateSnapshot(gz));
    mark("early start thread: snapshot read and inflated");
    post({ artifact: "snapshot", tar }, [tar]);
  });
}
await wasm;
mark("early start thread: done");
