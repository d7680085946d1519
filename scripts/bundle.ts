// The command line as a few bundled files (dist/bundle/), which bin/roomledger.js runs in the
// installed package: Node loads, links and compiles ~1,300 separate modules for a `serve`
// otherwise (roomledger's own ~380, Fastify's, Ajv's, TypeBox's, jose's, ...), ~0.35 s of
// every start on the bench machine (issue 15's start-up target; `npm run bench -- cold-start`).
// The library entry points (`roomledger`, `roomledger/testing`) stay the separate modules of
// dist/, with their declarations: they load into the user's own process and bundler.
//
// What the bundle must keep:
// - Where each of roomledger's modules finds its files (migrations, the snapshot, console
//   assets, package.json): relative to its own URL. Each module's `import.meta.url` becomes
//   its dist/ file's URL, computed from the bundle's own location, so the package still runs
//   wherever it is installed; those dist/ files are in the package anyway.
// - Separate files for what is loaded lazily (the server, PostgreSQL's driver, TLS, the demo):
//   esbuild's splitting gives each dynamic import its own chunk, and the modules shared
//   between chunks one instance (the early start in bin/ and the server's use of it).
// - Dependencies that find files of their own beside their code stay outside, loaded from
//   node_modules as before: PGlite (its WebAssembly and file-system bundle), swagger-ui
//   (its static files); and those loaded only on demand (pg, node-forge, the cloud SDKs the
//   simulators use). pino is bundled, its transport worker still found in node_modules
//   (pinoFiles).
//
// Two things for the start's time (issue 15; BENCHMARKS.md, cold start):
// - Node's built-in modules are taken through require(), not imported (builtinsByRequire).
//   An ES module's import of a built-in makes Node build an ES facade of it, which reads every
//   export, getters included: node:http's WebSocket, CloseEvent and MessageEvent getters load
//   undici, Node's fetch (~40 ms of CPU and ~70 ms of a start's wall time on the bench machine),
//   which roomledger never uses.
// - Whitespace and comments dropped, names kept (no identifier minification: stack traces
//   still name every function): the chunks a serve loads are ~40 % smaller, and ASCII only
//   (comments quoting the clouds' Chinese documentation made two whole chunks two-byte
//   strings), so Node decodes, parses and compiles less at every start. esbuild's ASCII
//   charset keeps two kinds of text as they are: tagged templates (a tag may read the raw
//   text) and the dependencies' legal comments. The console's pages are tagged templates
//   with a few `·`, `–`, `→`: 14 characters that made the server's whole chunk (1.2 MB) a
//   two-byte string: Node's loader decoded it in 12-18 ms against 5-9 ms as ASCII (min and
//   median of 30 on the bench machine), and V8 holds and scans it twice as large. roomledger's
//   modules get them as \u escapes (same text for a tag that reads the cooked strings, as
//   console/html.ts does; the build fails on String.raw or `.raw[` beside such text), and the legal
//   comments go to a .LEGAL.txt file beside each chunk.
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { build, type Plugin } from "esbuild";

/**
 * require()s that bundled dependencies make at their top for code a serve runs late or never:
 * - Fastify's lib/server.js takes node:http2 and node:https for `http2` and `https` servers
 *   (roomledger makes its own, serverFactory); prom-client's Pushgateway takes node:https.
 *   Node compiles a built-in (and the built-ins it needs) at its first require: http2 alone
 *   was ~17 ms (the least of 10 loads on the bench machine), for code no serve runs.
 * - @fastify/swagger takes `yaml` and `json-schema-resolver` for the document it makes at the
 *   first request for /docs (lazy-docs.ts): ~7 ms of every start to run their modules.
 * - @fastify/fast-json-stringify-compiler takes `fast-json-stringify` (and through it a second
 *   Ajv set-up) to compile a route's response schema, which lazy-schemas.ts does at the route's
 *   first request: ~5 ms of every start.
 * - prom-client's process CPU metric takes `@opentelemetry/api` for exemplars (trace ids beside
 *   a sample), which roomledger does not enable: ~4 ms of every start.
 * - Fastify's plugin-utils takes `semver` for three of its functions (a plugin's `fastify`
 *   version range, checked as @fastify/cookie and @fastify/swagger register): semver's index
 *   loads its ~50 modules (ranges, subsets, ...), ~10 ms more than those three took to
 *   require from node_modules (min of 4 each on the bench machine); `parts` gives a stand-in
 *   the files of the functions a dependency calls, the whole module for any other name.
 * Each becomes a stand-in that requires the module at its first use (lazyRequires). Not
 * node:cluster (rate-limiter-flexible's cluster limiter) nor node:dns (Fastify's binding of
 * every address of `localhost`): Node's net loads both at the first listen anyway.
 */
const LAZY_REQUIRES: { module: RegExp; from: RegExp; callable?: boolean; parts?: Record<string, string> }[] = [
  { module: /^(node:)?(https|http2)$/, from: /[\\/]node_modules[\\/]/ },
  { module: /^yaml$/, from: /[\\/]node_modules[\\/]@fastify[\\/]swagger[\\/]/ },
  { module: /^json-schema-resolver$/, from: /[\\/]node_modules[\\/]@fastify[\\/]swagger[\\/]/, callable: true },
  { module: /^fast-json-stringify$/, from: /[\\/]node_modules[\\/]@fastify[\\/]fast-json-stringify-compiler[\\/]/, callable: true },
  { module: /^@opentelemetry\/api$/, from: /[\\/]node_modules[\\/]prom-client[\\/]/ },
  {
    module: /^semver$/,
    from: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]plugin-utils\.js$/,
    parts: { satisfies: "semver/functions/satisfies", gt: "semver/functions/gt", coerce: "semver/functions/coerce" },
  },
];

/** Exports of a built-in module left out of its stand-in: getters that load code roomledger never uses. */
const UNUSED_GETTERS: Record<string, string[]> = { "node:http": ["WebSocket", "CloseEvent", "MessageEvent"] };

/**
 * Each `node:` import (not require()) becomes a small module of its own that takes the built-in through
 * require() (the bundle's banner defines it) and exports its default and every named export,
 * read once (as Node's own facade does, but without UNUSED_GETTERS). A named import the
 * stand-in lacks fails the build.
 */
function builtinsByRequire(): Plugin {
  const nodeRequire = createRequire(import.meta.url);
  return {
    name: "builtins-by-require",
    setup(b) {
      // A require() (the bundled CommonJS dependencies) stays one: it gets no facade.
      b.onResolve({ filter: /^node:/ }, (args) =>
        args.namespace === "builtin" || args.kind === "require-call" ? { path: args.path, external: true } : { path: args.path, namespace: "builtin" },
      );
      b.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => {
        const skip = new Set(UNUSED_GETTERS[args.path] ?? []);
        const names = Object.keys(nodeRequire(args.path) as object).filter((n) => !skip.has(n) && /^[A-Za-z_$][\w$]*$/.test(n) && n !== "default");
        const lines = [`const m = require(${JSON.stringify(args.path)});`, "export default m;", ...names.map((n) => `export const ${n} = m.${n};`)];
        return { contents: lines.join("\n"), loader: "js" };
      });
    },
  };
}

/**
 * A bundled dependency's require() of one of LAZY_REQUIRES gets a Proxy that stands for the
 * module's exports and requires it at the first use: a property read (`https.createServer`,
 * `yaml.stringify`; one of its `parts`, that part's file only), `in`, listing its keys, or a
 * call when the module is a function (`Ref(...)`).
 * What a dependency reads at its top still loads it then, as before.
 */
function lazyRequires(): Plugin {
  return {
    name: "lazy-requires",
    setup(b) {
      for (const [i, lazy] of LAZY_REQUIRES.entries()) {
        b.onResolve({ filter: lazy.module }, (args) =>
          args.kind === "require-call" && args.namespace === "file" && lazy.from.test(args.importer)
            ? { path: args.path, namespace: "lazy-require", pluginData: { i, resolveDir: dirname(args.importer) } }
            : undefined,
        );
      }
      b.onLoad({ filter: /.*/, namespace: "lazy-require" }, (args) => {
        const { i, resolveDir } = args.pluginData as { i: number; resolveDir: string };
        const { callable = false, parts = {} } = LAZY_REQUIRES[i]!;
        const part = Object.entries(parts).map(([k, file]) => `${JSON.stringify(k)}: () => require(${JSON.stringify(file)})`);
        const contents = `let m; const real = () => (m ??= require(${JSON.stringify(args.path)}));
const parts = { ${part.join(", ")} };
module.exports = new Proxy(${callable ? "() => {}" : "{}"}, {
  get: (_, k) => (m === undefined && Object.hasOwn(parts, k) ? parts[k]() : real()[k]),
  has: (_, k) => k in real(),
  ownKeys: () => Reflect.ownKeys(real()),
  getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(real(), k); return d && { ...d, configurable: true }; },${
    callable ? "\n  apply: (_, self, args) => Reflect.apply(real(), self, args)," : ""
  }
});`;
        // Resolved from where the dependency is (its own copy of the module, if npm nested one).
        return { contents, loader: "js", resolveDir };
      });
    },
  };
}

const EXTERNAL = [
  "@electric-sql/pglite",
  "@fastify/swagger-ui",
  "pg",
  "node-forge",
  "tencentcloud-sdk-nodejs",
  "@huaweicloud/*",
];

/**
 * pino and its thread-stream are bundled (loading them from node_modules, ~20 CommonJS files,
 * took ~40 ms of CPU against ~17 ms bundled, measured alone with the compile cache on the
 * bench machine). A pino transport (roomledger configures none) runs a worker from their own
 * files, found from `__dirname`, which a bundle has not: those two modules' `__dirname`
 * becomes their directory as Node resolves it from the bundle (these packages have no
 * `exports` map), computed only where a transport starts.
 */
function pinoFiles(): Plugin {
  const where: Record<string, string> = {
    // `require` is the bundle's (its banner), from dist/bundle/; no import.meta here: it would
    // make esbuild take these CommonJS files for ES modules.
    "pino/lib/transport.js": `require.resolve("pino/lib/transport.js")`,
    "thread-stream/index.js": `require("node:module").createRequire(require.resolve("pino")).resolve("thread-stream")`,
  };
  return {
    name: "pino-files",
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/](pino[\\/]lib[\\/]transport|thread-stream[\\/]index)\.js$/ }, async (args) => {
        const key = Object.keys(where).find((k) => args.path.split(sep).join("/").endsWith(`/node_modules/${k}`));
        if (!key) return undefined;
        const text = await readFile(args.path, "utf8");
        if (!text.includes("__dirname")) throw new Error(`${args.path}: no __dirname any more, check pinoFiles`);
        return { contents: text.replaceAll("__dirname", `require("node:path").dirname(${where[key]})`), loader: "js" };
      });
    },
  };
}

/** Bundles dist/cli/main.js and dist/storage/early-start.js into dist/bundle/. */
export async function bundleCli(dist: string): Promise<void> {
  const outdir = join(dist, "bundle");
  await build({
    entryPoints: [join(dist, "cli", "main.js"), join(dist, "storage", "early-start.js")],
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    entryNames: "[name]", // every output in outdir itself: module URLs are computed from there
    chunkNames: "chunk-[hash]",
    external: EXTERNAL,
    logLevel: "warning",
    minifyWhitespace: true,
    minifySyntax: true,
    charset: "ascii",
    legalComments: "external",
    // Bundled CommonJS dependencies require Node's built-in modules; an ES module has no
    // `require` of its own.
    banner: { js: 'import { createRequire as __roomledgerRequire } from "node:module"; const require = __roomledgerRequire(import.meta.url);' },
    plugins: [
      lazyRequires(), // before builtinsByRequire, which makes every other require() of a built-in external
      builtinsByRequire(),
      pinoFiles(),
      {
        name: "module-urls",
        setup(b) {
          b.onLoad({ filter: /\.js$/ }, async (args) => {
            if (!args.path.startsWith(dist + sep)) return undefined;
            const text = await readFile(args.path, "utf8");
            // import.meta.dirname and import.meta.filename have no URL to compute them from.
            if (/import\.meta\.(dirname|filename)/.test(text)) throw new Error(`${args.path}: use import.meta.url`);
            const own = relative(outdir, args.path).split(sep).join("/");
            const nonAscii = /[\u0080-\uffff]/g;
            if (nonAscii.test(text) && /String\.raw|\.raw\[/.test(text)) throw new Error(`${args.path}: non-ASCII text and raw strings: check asciiOnly`);
            const asciiOnly = text.replace(nonAscii, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
            return { contents: asciiOnly.replaceAll("import.meta.url", `new URL(${JSON.stringify(own)}, import.meta.url).href`), loader: "js" };
          });
        },
      },
    ],
  });
}
