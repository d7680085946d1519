// The package's version, read once from its package.json (one level above both src/ and the
// built dist/), for --version and /healthz.
import { readFileSync } from "node:fs";

export const VERSION: string = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;
