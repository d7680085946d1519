// Every component's migrations, in the order they run: the platform's, each product's, then
// the media-server sources'. server.ts runs them for the products it serves; the package build
// (scripts/build.ts) and the test run (test/support/snapshot.ts) make the migrated snapshot
// from them, with every product.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Product } from "./products/product.ts";
import { SOURCES_MIGRATIONS } from "./sources/index.ts";
import { JANUS_MIGRATIONS } from "./sources/janus/index.ts";
import type { MigrationSource } from "./storage/migrate.ts";

const PLATFORM_MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), "storage", "migrations");

export function migrationSources(products: readonly Product[]): MigrationSource[] {
  return [
    { component: "platform", dir: PLATFORM_MIGRATIONS },
    ...products.flatMap((p) => (p.migrations ? [{ component: p.name, dir: p.migrations }] : [])),
    { component: "sources", dir: SOURCES_MIGRATIONS },
    { component: "janus", dir: JANUS_MIGRATIONS },
  ];
}
