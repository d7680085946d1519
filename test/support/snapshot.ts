// The migrated snapshot for a test run (src/storage/snapshot.ts says what it is). A package
// carries one beside its modules (scripts/build.ts); a clone has none, so every new embedded
// database a test makes would run PGlite's initdb and every migration: ~5 s of CPU on a quiet
// machine, ~13 s on a busy one, against ~1.5 s from the snapshot, for each of the run's many
// first starts (the CLI, the demo, the README, in-memory servers, the storage tests). The run
// builds it once from the sources' migrations, as the package build does, and puts it where the
// sources look for it (git-ignored); the teardown removes it, so a clone used afterwards is as
// it was. A new cluster made by initdb stays tested: the snapshot is made from one, and
// test/storage/db.test.ts opens its database without the snapshot.
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrationSources } from "../../src/migration-sources.ts";
import { allProducts } from "../../src/products/registry.ts";
import { buildSnapshot } from "../../src/storage/snapshot-build.ts";
import { SNAPSHOT_FILE } from "../../src/storage/snapshot.ts";
import { ROOT } from "./harness.ts";

/** Where the sources look for the snapshot (snapshot.ts: beside the module). */
export const SOURCE_SNAPSHOT = join(ROOT, "src", "storage", SNAPSHOT_FILE);

/** Builds the snapshot and puts it in place (renamed into place: a reader never sees half a file). */
export async function buildSourceSnapshot(): Promise<void> {
  const tmp = `${SOURCE_SNAPSHOT}.${process.pid}.tmp`;
  writeFileSync(tmp, await buildSnapshot(migrationSources(allProducts), () => Date.now()));
  renameSync(tmp, SOURCE_SNAPSHOT);
}

export function removeSourceSnapshot(): void {
  rmSync(SOURCE_SNAPSHOT, { force: true });
}
