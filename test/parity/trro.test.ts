// Parity of every TRRO action with the SDK's model (issue 21): cases in ./trro/*.cases.ts.
import { trro } from "../../src/products/trro/index.ts";
import { runParity } from "./run.ts";

await runParity({ product: trro, dir: new URL("./trro/", import.meta.url) });
