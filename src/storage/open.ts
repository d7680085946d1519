import { join } from "node:path";
import type { Db } from "./db.ts";
import { openPglite } from "./pglite.ts";
import type { Snapshot } from "./snapshot.ts";

/** DATABASE_URL wins; otherwise the embedded PGlite database in the data directory. */
export async function openDb(opts: {
  databaseUrl: string | null;
  dataDir: string | null;
  pgliteSharedBuffers?: string | null;
  /** A migrated PGlite database to start a new one from (snapshot.ts), taken only when one is made. */
  pgliteSnapshot?: (() => Promise<Snapshot | null>) | null;
}): Promise<Db> {
  // The PostgreSQL client is loaded only when it is used: an embedded start does not pay for it.
  if (opts.databaseUrl) return (await import("./postgres.ts")).openPostgres(opts.databaseUrl);
  return openPglite(opts.dataDir ? join(opts.dataDir, "pgdata") : null, {
    sharedBuffers: opts.pgliteSharedBuffers,
    snapshot: opts.pgliteSnapshot,
  });
}
