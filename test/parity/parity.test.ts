// Parity of every action of LCIC (issue 20), TIW, TRRO and GME (issue 21) with the SDK's
// own model: the cases are in ./<service>/*.cases.ts (see README.md). One test file, so one
// server per backend serves all four services.
import { gme } from "../../src/products/gme/index.ts";
import { lcic } from "../../src/products/lcic/index.ts";
import { tiw } from "../../src/products/tiw/index.ts";
import { trro } from "../../src/products/trro/index.ts";
import { runParity } from "./run.ts";

await runParity([lcic, tiw, trro, gme].map((product) => ({ product, dir: new URL(`./${product.name}/`, import.meta.url) })));
