// The phases of a cold start, each timed once in this fresh process (cold-start.ts runs it
// after building dist/), printed as JSON: what dominates the start.
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

const ROOT = resolve(import.meta.dirname, "..");
const dist = (p: string) => join(ROOT, "dist", p);
const phases: Record<string, number> = {};
const time = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const out = await f();
  phases[name] = performance.now() - t;
  return out;
};

phases["node start to this script"] = performance.now();
const { pgliteWasm } = await import(dist("storage/pglite-wasm.js"));
await time("read and compile PGlite's WASM (serve does it in the early start's thread, beside the next line)", () => pgliteWasm());
const { startServer } = await time(
  "import the server's modules one by one (the library's way; the command line loads them bundled)",
  () => import(dist("server.js")),
);
void startServer;
const { PGlite } = await import("@electric-sql/pglite");
const { openPglite, pgliteDb } = await import(dist("storage/pglite.js"));
const { migrate } = await import(dist("storage/migrate.js"));
const { migratedSnapshot } = await import(dist("storage/snapshot.js"));
const { allProducts } = await import(dist("products/registry.js"));
const { IN_MEMORY_PGLITE_SHARED_BUFFERS } = await import(dist("config.js"));
const sources = [
  { component: "platform", dir: dist("storage/migrations") },
  ...allProducts
    .filter((p: { migrations?: string }) => p.migrations)
    .map((p: { name: string; migrations: string }) => ({ component: p.name, dir: p.migrations })),
  { component: "sources", dir: dist("sources/migrations") },
  { component: "janus", dir: dist("sources/janus/migrations") },
];
const wasm = { pgliteWasmModule: await pgliteWasm() };
const snapshot = await time("read, inflate and parse the migrated snapshot (libuv's threads; serve overlaps it)", () => migratedSnapshot());
const loaded: { close(): Promise<void> } = await time(
  `PGlite start in memory from the migrated snapshot (no initdb; shared_buffers ${IN_MEMORY_PGLITE_SHARED_BUFFERS}, as serve --in-memory)`,
  () => openPglite(null, { sharedBuffers: IN_MEMORY_PGLITE_SHARED_BUFFERS, snapshot: async () => snapshot }),
);
await time("migrate() on the snapshot (its migrations are the code's: checks skipped)", () => migrate(loaded, sources, () => Date.now()));
await loaded.close();
const empty = await time("PGlite start in memory, new cluster (initdb)", () => PGlite.create(wasm));
await time("all migrations on the empty database", () => migrate(pgliteDb(empty), sources, () => Date.now()));
await empty.close();
process.stdout.write(`${JSON.stringify(phases)}\n`);
process.exit(0);
