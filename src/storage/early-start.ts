// What a `serve` on the embedded database can start before its modules load: compiling
// PGlite's WebAssembly (V8), reading PGlite's file-system bundle, and reading and inflating
// the migrated snapshot (libuv's threads) when a new database will be made from it.
// bin/roomledger.js calls this before it loads the command line, so that these run beside the
// ~0.4 s the main thread spends loading modules instead of after it. It guesses from the
// arguments and environment alone (config.ts reads them properly later, and `serve` makes the
// same calls where it is sure: a second call shares the first): a wrong guess costs work
// nobody awaits, and `serve` lets go of a snapshot it will not use.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pgliteWasm, prefetchPgliteFsBundle } from "./pglite-wasm.ts";
import { prefetchSnapshot } from "./snapshot.ts";

export function startEarly(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  if (argv[0] !== "serve" || env.DATABASE_URL) return;
  if (argv.some((a) => a === "--database-url" || a.startsWith("--database-url="))) return;
  pgliteWasm().catch(() => {}); // awaited, and its failure seen, by openPglite()
  prefetchPgliteFsBundle();
  const inMemory = argv.includes("--in-memory") || env.ROOMLEDGER_IN_MEMORY === "1" || env.ROOMLEDGER_IN_MEMORY === "true";
  if (inMemory || !existsSync(join(resolve(flag(argv, "--data") ?? env.ROOMLEDGER_DATA ?? ".roomledger"), "pgdata", "PG_VERSION"))) {
    prefetchSnapshot();
  }
}

/** A flag's value, as `--name value` or `--name=value`. */
function flag(argv: readonly string[], name: string): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i]!.startsWith(`${name}=`)) return argv[i]!.slice(name.length + 1);
  }
  return undefined;
}
