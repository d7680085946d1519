// `roomledger demo`: set up, play the scenario, read the results back, print them. With
// --keep the embedded server keeps serving afterwards, and demo.json in its data directory
// holds the ids the README tour's SDK calls use.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { play } from "./play.ts";
import { progressBar } from "./progress.ts";
import { formatReport } from "./report.ts";
import { readResults, type DemoResult } from "./results.ts";
import { demoScenario } from "./scenario.ts";
import { setUp } from "./setup.ts";
import type { Target } from "./target.ts";

export interface DemoOutput {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  json: boolean;
  quiet: boolean;
}

export async function runDemo(t: Target, out: DemoOutput): Promise<DemoResult> {
  const bar = progressBar(out.stderr, !out.quiet);
  bar.update(0, "setting up apps, users, the room and the fleet");
  const scenario = demoScenario();
  const setup = await setUp(t, scenario);
  const played = await play(t, scenario, setup, (f, label) => bar.update(f * 0.95, label));
  bar.update(0.97, "reading the results through the SDKs");
  const result = await readResults(t, setup, played);
  bar.done();
  if (t.dataDir) writeFileSync(join(t.dataDir, "demo.json"), `${JSON.stringify(result.ids, null, 2)}\n`);
  out.stdout.write(out.json ? `${JSON.stringify(result)}\n` : `${formatReport(result)}\n`);
  return result;
}
