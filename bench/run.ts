// npm run bench [-- name ...]: runs the benchmarks (all, or those named) and prints figures.
import type { Benchmark } from "./harness.ts";
import { printFigures } from "./harness.ts";
import { rtcBenchmark } from "./rtc.ts";
import { gatewayBench } from "./gateway.ts";
import { echoProfileBench } from "./echo-profile.ts";
import { readPathBench } from "./read-path.ts";
import { lcicBenchmark } from "./lcic.ts";
import { tiwBenchmark } from "./tiw.ts";
import { gmeBenchmark } from "./gme.ts";
import { trroBenchmark } from "./trro.ts";
import { coldStartBenchmark } from "./cold-start.ts";

const all: Benchmark[] = [gatewayBench, echoProfileBench, readPathBench, lcicBenchmark, tiwBenchmark, gmeBenchmark, trroBenchmark, rtcBenchmark, coldStartBenchmark];

const wanted = process.argv.slice(2);
const selected = wanted.length ? all.filter((b) => wanted.includes(b.name)) : all;
if (wanted.length && selected.length !== wanted.length) {
  process.stderr.write(`unknown benchmark; have: ${all.map((b) => b.name).join(", ")}\n`);
  process.exit(2);
}
for (const b of selected) {
  const started = Date.now();
  printFigures(b.name, await b.run());
  process.stdout.write(`[${b.name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
