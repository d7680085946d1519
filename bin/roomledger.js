#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size=8 (also in `npm start`): V8 sizes its young generation from the
// host's memory, up to 2 × 64 MB on a large host, most of it garbage of the ingest path
// held resident. 8 MB semi-spaces keep the server's RSS under 400 MB through a sustained
// ingest at the same throughput (`npm run bench -- rtc`, which starts the server this way).
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
