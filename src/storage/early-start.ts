// What a `serve` on the embedded database can start before its modules load: compiling
// PGlite's WebAssembly, on V8's background threads (pglite-wasm.ts). bin/roomledger.js calls
// this before it loads the command line, so that the compile runs beside the ~0.3 s the main
// thread spends loading modules instead of after it. It guesses from the arguments alone
// (config.ts reads them properly later): a wrong guess costs a compile nobody awaits, on
// other threads; `serve` starts it again where it is sure (a second call shares the first).
import { pgliteWasm } from "./pglite-wasm.ts";

export function startEarly(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  if (argv[0] !== "serve" || env.DATABASE_URL) return;
  if (argv.some((a) => a === "--database-url" || a.startsWith("--database-url="))) return;
  pgliteWasm().catch(() => {}); // awaited, and its failure seen, by openPglite()
}
