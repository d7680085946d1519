// Parity of every TIW action with the SDK's model (issue 21): cases in ./tiw/*.cases.ts.
import { tiw } from "../../src/products/tiw/index.ts";
import { runParity } from "./run.ts";

await runParity({ product: tiw, dir: new URL("./tiw/", import.meta.url) });
