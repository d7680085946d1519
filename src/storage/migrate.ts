import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Db } from "./db.ts";

/** A component (the platform, or a product) and the folder holding its NNN_name.sql files. */
export interface MigrationSource {
  component: string;
  dir: string;
}

interface Migration {
  component: string;
  version: number;
  name: string;
  /** Read only when the migration is applied. */
  path: string;
}

function list(source: MigrationSource): Migration[] {
  const found = readdirSync(source.dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      component: source.component,
      version: Number(f.slice(0, 3)),
      name: f,
      path: join(source.dir, f),
    }));
  // A version is applied once per component: a second file with the same number (two
  // branches each adding one) would be skipped silently on a ledger that has the first.
  for (let i = 1; i < found.length; i++)
    if (found[i]!.version === found[i - 1]!.version)
      throw new Error(`migrations ${found[i - 1]!.name} and ${found[i]!.name} of ${source.component} have the same number`);
  return found;
}

/**
 * The migrations of these sources as migrate() tells them apart: "component/version" (it
 * applies a version once and never again, whatever its file says later). The migrated
 * snapshot records its own (snapshot-build.ts).
 */
export function migrationKeys(sources: readonly MigrationSource[]): string[] {
  return sources.flatMap((source) => list(source).map((m) => `${m.component}/${m.version}`));
}

/**
 * Applies every migration not yet applied, each in its own transaction, under an advisory
 * lock so that several instances starting together on one PostgreSQL apply each once.
 */
export async function migrate(db: Db, sources: readonly MigrationSource[], now: () => number): Promise<string[]> {
  // A database made at this start from the migrated snapshot has the snapshot's migrations
  // and no others: when these are among them, there is nothing to check (the statements below
  // are the first a new database runs, ~0.1 s of a start). The snapshot holds every product's,
  // development-only ones too, so a server without those still finds its own there.
  if (db.migrations) {
    const applied = new Set(db.migrations);
    if (migrationKeys(sources).every((k) => applied.has(k))) return [];
  }
  await db.query(`create table if not exists schema_migrations (
    component text not null, version int not null, name text not null, applied_at bigint not null,
    primary key (component, version))`);
  // Read once what is applied already (at a start from the migrated snapshot, or a restart:
  // everything), so that those cost no transaction each; the rest are checked again under the
  // lock, since another instance may apply them meanwhile.
  const done = new Set(
    (await db.query<{ component: string; version: number }>("select component, version from schema_migrations")).rows.map(
      (r) => `${r.component}/${r.version}`,
    ),
  );
  const applied: string[] = [];
  for (const source of sources) {
    for (const m of list(source)) {
      if (done.has(`${m.component}/${m.version}`)) continue;
      const did = await db.transaction(async (tx) => {
        await tx.query("select pg_advisory_xact_lock(727274)");
        const seen = await tx.query("select 1 from schema_migrations where component = $1 and version = $2", [m.component, m.version]);
        if (seen.rows.length > 0) return false;
        await tx.exec(readFileSync(m.path, "utf8"));
        await tx.query("insert into schema_migrations (component, version, name, applied_at) values ($1, $2, $3, $4)", [
          m.component,
          m.version,
          m.name,
          now(),
        ]);
        return true;
      });
      if (did) applied.push(`${m.component}/${m.name}`);
    }
  }
  return applied;
}
