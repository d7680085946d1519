// Opens a fresh database of a backend in this process, with the platform migrations applied.
// A PGlite one starts from the run's migrated snapshot (test/support/snapshot.ts), which holds
// them, unless `initdb` asks for a new cluster (db.test.ts does, so the path a clone's first
// start takes stays tested in process).
import { join } from "node:path";
import { migrate } from "../../src/storage/migrate.ts";
import { openPglite } from "../../src/storage/pglite.ts";
import { migratedSnapshot } from "../../src/storage/snapshot.ts";
import { openPostgres } from "../../src/storage/postgres.ts";
import type { Db } from "../../src/storage/db.ts";
import { freshDatabase, type Backend } from "../support/postgres.ts";
import { ROOT } from "../support/server.ts";

export interface Opened {
  db: Db;
  /** Another connection (pool) to the same database, PostgreSQL only. */
  reopen(): Promise<Db>;
}

export async function openBackend(backend: Backend, opts: { initdb?: boolean } = {}): Promise<Opened> {
  if (backend === "pglite") {
    const db = await openPglite(null, { snapshot: opts.initdb ? null : migratedSnapshot });
    await migrate(db, [{ component: "platform", dir: join(ROOT, "src", "storage", "migrations") }], () => Date.now());
    return { db, reopen: async () => db };
  }
  const url = await freshDatabase();
  const db = await openPostgres(url);
  await migrate(db, [{ component: "platform", dir: join(ROOT, "src", "storage", "migrations") }], () => Date.now());
  return { db, reopen: () => openPostgres(url) };
}
