// Cold start of the package as installed (issue 15): from spawning `roomledger serve` (the
// package's bin/roomledger.js running the built dist/, as `npx roomledger` runs it) to the
// first answered SDK call (LCIC DescribeRoom through tencentcloud-sdk-nodejs), in memory and
// on a new data directory. Targets: <= 1.0 s in memory, <= 2.0 s on a new data directory.
// Beside each wall-clock figure: the server's CPU time (user + system, all its threads) at
// that moment, which the machine's load inflates less, and the load average when it started.
// For comparison the same without the migrated snapshot (the TypeScript sources, which have
// none), and the phases measured one by one in a fresh process (cold-start-phases.ts).
import { execFileSync } from "node:child_process";
import http from "node:http";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as tencentcloud from "tencentcloud-sdk-nodejs";
import { spawnUntil } from "../test/support/harness.ts";
import type { Benchmark, Figure } from "./harness.ts";

const ROOT = resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const SECRET_ID = "AKIDroomledgerBENCH00000000000000001";
const SECRET_KEY = "roomledgerBenchSecretKey00000001";

interface Run {
  wall: number;
  cpu: number;
  load: number;
}

/** CPU time (user + system, ms) a live process has used: /proc/<pid>/stat, in clock ticks of 10 ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** `roomledger serve` from the package's `entry` on free ports, once it says it listens (its URL in `match[1]`). */
export function spawnServe(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): ReturnType<typeof spawnUntil> {
  return spawnUntil(
    "server",
    ["--min-semi-space-size=8", "--max-semi-space-size=8", entry, "serve", "--port", "0", "--admin-port", "0", ...args],
    { ...process.env, ...env, MALLOC_ARENA_MAX: "1", ROOMLEDGER_SECRET_ID: SECRET_ID, ROOMLEDGER_SECRET_KEY: SECRET_KEY },
    /listening on (http:\S+) /,
  );
}

/** The first SDK call: an answer from the ledger (no such room), so the SDK reached it, signed, and got its error. */
export async function firstSdkAnswer(server: Awaited<ReturnType<typeof spawnServe>>): Promise<void> {
  const lcic = new tencentcloud.lcic.v20220817.Client({
    credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    profile: { httpProfile: { endpoint: new URL(server.match[1]!).host, protocol: "http://", agent: new http.Agent() } },
  });
  const code = await lcic.DescribeRoom({ RoomId: 1 }).then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );
  if (code !== "ResourceNotFound.Room") throw new Error(`unexpected answer ${code}\n${server.output()}`);
}

/** Spawn to the first SDK answer. */
export async function coldStart(entry: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const load = loadavg()[0]!;
  const started = performance.now();
  const server = await spawnServe(entry, ["--log-level", "warn", ...args], env);
  try {
    await firstSdkAnswer(server);
    const wall = performance.now() - started;
    return { wall, cpu: cpuMs(server.proc.pid!), load };
  } finally {
    await server.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The package's files as npm installs them: bin/ and package.json copied, dist/ and
 * node_modules/ linked (from `root`: this checkout, or another built one to compare with).
 */
export function installedLayout(dir: string, root = ROOT): string {
  mkdirSync(join(dir, "bin"), { recursive: true });
  copyFileSync(join(root, "bin", "roomledger.js"), join(dir, "bin", "roomledger.js"));
  copyFileSync(join(root, "package.json"), join(dir, "package.json"));
  symlinkSync(join(root, "dist"), join(dir, "dist"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return join(dir, "bin", "roomledger.js");
}

function figures(what: string, runs: Run[], target?: { ms: number }): Figure[] {
  const wall = median(runs.map((r) => r.wall));
  const loads = runs.map((r) => r.load.toFixed(1)).join("/");
  return [
    {
      name: `${what} (median of ${runs.length}; load ${loads})`,
      value: Math.round(wall),
      unit: "ms",
      ...(target ? { target: `<= ${target.ms} ms`, met: wall <= target.ms } : {}),
    },
    { name: `  CPU time (user+sys) of the server to its first answer, median`, value: median(runs.map((r) => r.cpu)), unit: "ms" },
  ];
}

export const coldStartBenchmark: Benchmark = {
  name: "cold-start",
  long: true,
  async run() {
    // The package's build (as `npm pack` makes it): dist/ with the migrated snapshot.
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.ts")], { stdio: "inherit" });
    const sources = join(ROOT, "bin", "roomledger.js");
    const scratch = mkdtempSync(join(tmpdir(), "roomledger-cold-"));
    const installed = installedLayout(join(scratch, "package"));
    // A compile cache of its own: empty for the first start, as after an install.
    const cache = { NODE_COMPILE_CACHE: join(scratch, "compile-cache") };
    let dirs = 0;
    const newDir = () => ["--data", join(scratch, `data-${dirs++}`)];
    const runs = async (entry: string, args: () => string[]) => {
      const out: Run[] = [];
      for (let i = 0; i < RUNS; i++) out.push(await coldStart(entry, args(), cache));
      return out;
    };
    try {
      const first = await coldStart(installed, ["--in-memory"], cache);
      const memory = await runs(installed, () => ["--in-memory"]);
      const disk = await runs(installed, newDir);
      const noCache = await coldStart(installed, ["--in-memory"], { NODE_DISABLE_COMPILE_CACHE: "1" });
      const memorySources = await coldStart(sources, ["--in-memory"]);
      const diskSources = await coldStart(sources, newDir());
      // The phases are a breakdown, not the figures: a failure there is reported, the figures kept.
      let phases: Record<string, number> = {};
      try {
        phases = JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, "cold-start-phases.ts")], { encoding: "utf8" }));
      } catch (err) {
        process.stderr.write(`[cold-start] phases not measured: ${(err as Error).message}\n`);
      }
      const out: Figure[] = [
        ...figures("cold start to first SDK answer, in memory (package)", memory, { ms: 1000 }),
        ...figures("cold start to first SDK answer, new data directory (package)", disk, { ms: 2000 }),
        ...figures("  the first start after the install, in memory (empty compile cache)", [first]),
        ...figures("  in memory without Node's compile cache", [noCache]),
        ...figures("  in memory from the sources, no snapshot (migrations)", [memorySources]),
        ...figures("  new data directory from the sources, no snapshot", [diskSources]),
      ];
      for (const [name, ms] of Object.entries(phases)) out.push({ name: `  phase: ${name}`, value: Math.round(ms), unit: "ms" });
      return out;
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
