// Parity of every LCIC action with the SDK's model (issue 20): cases in ./lcic/*.cases.ts.
import { lcic } from "../../src/products/lcic/index.ts";
import { runParity } from "./run.ts";

await runParity({ product: lcic, dir: new URL("./lcic/", import.meta.url) });
