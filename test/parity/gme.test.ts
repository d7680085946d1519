// Parity of every GME action with the SDK's model (issue 21): cases in ./gme/*.cases.ts.
import { gme } from "../../src/products/gme/index.ts";
import { runParity } from "./run.ts";

await runParity({ product: gme, dir: new URL("./gme/", import.meta.url) });
