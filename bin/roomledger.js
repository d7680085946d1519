#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node --min-semi-space-size=8 --max-semi-space-size=8
// Memory settings. --max-semi-space-size and MALLOC_ARENA_MAX are also in `npm start`
// (`npm run bench -- rtc` starts the server that way and measures them; README "Huawei SparkRTC"):
// - --max-semi-space-size=8: V8 sizes its young generation from the host's memory, up to
//   2 × 64 MB on a large host, most of it garbage of the ingest path held resident.
// - --min-semi-space-size=8: the young generation starts at that size instead of growing
//   from 1 MB. A start keeps most of what it allocates (modules, routes, PGlite), and each
//   scavenge of a small young generation copies it again: an in-memory serve scavenged 12-13
//   times before it listened, 4-5 times with this, and the main thread's GC pauses fell from
//   79-181 ms (median ~135) to 49-124 ms (median ~87) over 6 starts each on the bench machine
//   (issue 15's start-up target). The resident size once listening is the same (~193 MB
//   either way): the start grows the young generation to 8 MB anyway.
// - MALLOC_ARENA_MAX=1: glibc gives each thread that allocates its own malloc arena and
//   keeps what was freed there. V8's compiler threads translate PGlite's WebAssembly at
//   start-up and left ~80 MB behind in four arenas that the main thread, which allocates the
//   ingest buffers, never reused: 395–471 MB through 5 minutes at 200,000 points/s, against
//   344–359 MB with one arena, at the same ingest rate. Other C libraries ignore it.
//
// Two ways to run: in a clone (src/ is there) the TypeScript sources run directly (Node's
// type stripping, Node 22.18 or later; the project pins Node 24 through its `node`
// development dependency, first on PATH for npm scripts and npx). The installed package has
// no src/, only the JavaScript that `npm pack` built into dist/ (package.json `engines`).
import { existsSync } from "node:fs";
import module from "node:module";

const source = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(source)) {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 18)) {
    process.stderr.write(
      `roomledger's sources need Node 22.18 or later (this is ${process.version}). Run them through npm, which uses the pinned one: npx roomledger ...\n`,
    );
    process.exit(1);
  }
  (await import(new URL("../src/storage/early-start.ts", import.meta.url).href)).startEarly(process.argv.slice(2), process.env);
  await import(source.href);
} else {
  // The installed package: Node's compile cache (Node 22.1 or later) keeps V8's compiled code
  // of the modules on disk, so that the next start parses and compiles less. The cache lives
  // in the system's temporary directory (NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE
  // turns it off); its entries are per Node version and checked against each module's source,
  // so a stale one (a new roomledger or Node) is recompiled and replaced, never used.
  module.enableCompileCache?.();
  // The command line bundled into a few files at build time (scripts/bundle.ts says why).
  (await import("../dist/bundle/early-start.js")).startEarly(process.argv.slice(2), process.env);
  await import("../dist/bundle/main.js");
}
