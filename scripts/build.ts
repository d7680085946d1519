// The package's build (`npm run build`, run by `prepack`): JavaScript and declarations from
// src/ into dist/ through tsc (Node does not strip types under node_modules), plus the SQL
// migrations, which the server reads beside the modules that declare them.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
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
  filter: (src) => !/\.[a-z]+$/.test(src) || src.endsWith(".sql"),
});
