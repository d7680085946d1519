// The package's build (`npm run build`, run by `prepack`): JavaScript and declarations from
// src/ into dist/ through tsc (Node does not strip types under node_modules), plus the SQL
// migrations, which the server reads beside the modules that declare them.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});
cpSync(join(root, "src"), dist, {
  recursive: true,
  filter: (src) => !/\.[a-z]+$/.test(src) || src.endsWith(".sql") || /qos-collector\.(js|d\.ts)$/.test(src),
});

// The migrated snapshot a new embedded database starts from (src/storage/snapshot.ts): every
// product's migrations, applied by the built modules themselves.
const { SNAPSHOT_FILE } = await import(join(dist, "storage", "snapshot.js"));
const { buildSnapshot } = await import(join(dist, "storage", "snapshot-build.js"));
const { allProducts } = await import(join(dist, "products", "registry.js"));
const { migrationSources } = await import(join(dist, "migration-sources.js"));
writeFileSync(join(dist, "storage", SNAPSHOT_FILE), await buildSnapshot(migrationSources(allProducts), () => Date.now()));

// The command line bundled for bin/roomledger.js (scripts/bundle.ts).
const { bundleCli } = await import("./bundle.ts");
await bundleCli(dist);
