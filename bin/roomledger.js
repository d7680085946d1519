#!/usr/bin/env node
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
