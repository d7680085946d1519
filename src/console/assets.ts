// The console's static files, all from the package (no CDN; works offline): its own
// stylesheet and script (modules in assets/), and uPlot's minified script and stylesheet,
// resolved in node_modules once at start-up (the dependency, wherever npm put it) and held
// in memory: four small files, served with their hash as ETag.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { CONSOLE_JS } from "./assets/client-script.ts";
import { CONSOLE_CSS } from "./assets/style.ts";

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const asset = (body: Buffer | string, type: string): Asset => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return { body: b, type, etag: `"${createHash("sha256").update(b).digest("base64url").slice(0, 22)}"` };
};

/** Reads the assets; throws at start-up (not at the first page) if uPlot cannot be found. */
export function loadAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const uplot = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`));
  return new Map([
    ["console.css", asset(CONSOLE_CSS, "text/css; charset=utf-8")],
    ["console.js", asset(CONSOLE_JS, "text/javascript; charset=utf-8")],
    ["uPlot.iife.min.js", asset(uplot("uPlot.iife.min.js"), "text/javascript; charset=utf-8")],
    ["uPlot.min.css", asset(uplot("uPlot.min.css"), "text/css; charset=utf-8")],
  ]);
}
