// npm run lint: the import-boundary rules and the cycle check of .dependency-cruiser.cjs,
// run by dependency-cruiser on src/.
//
// Why the detour: dependency-cruiser reads TypeScript through the TypeScript compiler API,
// which TypeScript 7 (the native compiler this project type-checks with) does not publish
// yet. So the sources are handed to it as JavaScript, made here with Node's own type
// stripping, after turning type-only imports into plain ones, so that they count too (an
// import circle through types is still a circle). Paths keep their names (x.ts → x.js).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, stripTypeScriptTypes } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";

const root = resolve(import.meta.dirname, "..");
const config = createRequire(import.meta.url)(join(root, ".dependency-cruiser.cjs"));

/** Type-only imports and exports become plain ones, then the types are stripped. */
export function asJavaScript(ts: string): string {
  const keepTypes = ts
    .replace(/^(\s*import)\s+type\s+(?=[{*\w])/gm, "$1 ")
    .replace(/^(\s*export)\s+type\s+(?=[{*])/gm, "$1 ")
    .replace(
      /^(\s*(?:import|export)\s*\{)([^}]*)\}/gm,
      (_m, head: string, names: string) => `${head}${names.replace(/\btype\s+(?=[\w$])/g, "")}}`,
    )
    .replace(/(from\s+["'][^"']+)\.ts(["'])/g, "$1.js$2")
    .replace(/(import\s*\(?\s*["'][^"']+)\.ts(["'])/g, "$1.js$2");
  return stripTypeScriptTypes(keepTypes, { mode: "strip" });
}

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

const out = mkdtempSync(join(tmpdir(), "roomledger-boundaries-"));
try {
  for (const file of sources(join(root, "src"))) {
    const target = join(out, relative(root, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, asJavaScript(readFileSync(file, "utf8")));
  }
  const cwd = process.cwd();
  process.chdir(out);
  let result: ICruiseResult;
  try {
    result = (await cruise(["src"], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } }))
      .output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
  const { violations, totalCruised, totalDependenciesCruised } = result.summary;
  const ts = (p: string) => p.replace(/\.js$/, ".ts");
  for (const v of violations) {
    const via = v.cycle ? ` (circle: ${v.cycle.map((c) => ts(c.name)).join(" → ")})` : "";
    process.stderr.write(`${v.rule.name}: ${ts(v.from)} → ${ts(v.to)}${via}\n`);
  }
  // A relative import the cruise could not follow would escape every rule: count it as a failure.
  const unresolved = result.modules.flatMap((m) =>
    m.dependencies.filter((d) => d.couldNotResolve && d.module.startsWith(".")).map((d) => `${ts(m.source)} → ${d.module}`),
  );
  for (const u of unresolved) process.stderr.write(`unresolved import: ${u}\n`);
  if (totalCruised < 100) throw new Error(`only ${totalCruised} modules cruised: the check is not seeing the sources`);
  process.stdout.write(
    `import boundaries: ${totalCruised} modules, ${totalDependenciesCruised} imports, ${violations.length} violation(s)\n`,
  );
  if (violations.length > 0 || unresolved.length > 0) process.exitCode = 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
