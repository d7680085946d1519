// npm run bench [-- name ... | all]: runs the benchmarks and prints figures. Without a name,
// the quick ones (issue 22's: the load generator's ceiling, the gateway, its profile, the read
// path; about 10 minutes); the long scale and memory benchmarks run when named, or with `all`.
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
import { consoleBench } from "./console.ts";
import { ingestFairnessBench } from "./ingest-fairness.ts";

const all: Benchmark[] = [
  gatewayBench,
  echoProfileBench,
  readPathBench,
  lcicBenchmark,
  tiwBenchmark,
  gmeBenchmark,
  trroBenchmark,
  rtcBenchmark,
  coldStartBenchmark,
  consoleBench,
  ingestFairnessBench,
];

const wanted = process.argv.slice(2).filter((a) => a !== "all");
const everything = process.argv.includes("all");
const selected = wanted.length ? all.filter((b) => wanted.includes(b.name)) : all.filter((b) => everything || !b.long);
if (wanted.length && selected.length !== wanted.length) {
  process.stderr.write(`unknown benchmark; have: ${all.map((b) => b.name).join(", ")}\n`);
  process.exit(2);
}
const skipped = all.filter((b) => !selected.includes(b) && b.long && !wanted.length);
if (skipped.length) {
  process.stdout.write(
    `[bench] long benchmarks not run (name them, or \`npm run bench -- all\`): ${skipped.map((b) => b.name).join(", ")}\n`,
  );
}
for (const b of selected) {
  const started = Date.now();
  printFigures(b.name, await b.run());
  process.stdout.write(`[${b.name}] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
