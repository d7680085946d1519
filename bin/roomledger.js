#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --max-semi-space-size=8
// Two memory settings, also in `npm start` (`npm run bench -- rtc` starts the server that
// way and measures them; README "Huawei SparkRTC"):
// - --max-semi-space-size=8: V8 sizes its young generation from the host's memory, up to
//   2 × 64 MB on a large host, most of it garbage of the ingest path held resident.
// - MALLOC_ARENA_MAX=1: glibc gives each thread that allocates its own malloc arena and
//   keeps what was freed there. V8's compiler threads translate PGlite's WebAssembly at
//   start-up and left ~80 MB behind in four arenas that the main thread, which allocates the
//   ingest buffers, never reused: 395–471 MB through 5 minutes at 200,000 points/s, against
//   344–359 MB with one arena, at the same ingest rate. Other C libraries ignore it.
// roomledger runs its TypeScript sources directly (Node's type stripping), which needs
// Node 22.18 or later; the project pins Node 24 through the `node` package, which npm
// puts first on PATH for `npm start`, `npm test` and `npx roomledger`.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `roomledger needs Node 24 (this is ${process.version}). Run it through npm, which uses the pinned one: npx roomledger ...\n`,
  );
  process.exit(1);
}
await import("../src/cli/main.ts");
