// The timeline of cold starts of the built package in memory (issue 15): from spawning
// `roomledger serve --in-memory` to the first answered SDK call, each start mark the server
// sets (src/storage/start-marks.ts) in the time since the spawn, with the CPU time the main
// thread and the whole process had used by then, and each thread's CPU time at the first
// answer. The server runs at debug level to log its trace (src/cli/start-trace.ts): slightly
// more work than the bench's own starts (every request logged), so these are a breakdown,
// not the figures. Run after a build (cold-start.ts does one):
// `node bench/cold-start-timeline.ts [starts]`; prints a table of medians.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StartTrace } from "../src/cli/start-trace.ts";
import { firstSdkAnswer, installedLayout, spawnServe } from "./cold-start.ts";

interface Row {
  name: string;
  /** ms since the spawn. */
  at: number;
  mainCpuMs: number | null;
  processCpuMs: number | null;
  thread: string;
}

/** One start: its rows (the spawn's, the server's marks, the client's), its threads' CPU. */
export async function timelineOfOneStart(
  entry: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ rows: Row[]; threads: StartTrace["threads"] }> {
  const spawned = performance.timeOrigin + performance.now();
  const server = await spawnServe(entry, ["--in-memory", "--log-level", "debug"], env);
  const timer = setTimeout(() => void server.kill(), 30_000);
  try {
    const listenedSeen = performance.timeOrigin + performance.now();
    await firstSdkAnswer(server);
    const answered = performance.timeOrigin + performance.now();
    // The trace line follows the first answer (cli/start-trace.ts).
    const trace = await new Promise<StartTrace>((ok) => {
      const find = () => {
        for (const line of server.output().split("\n")) {
          if (!line.includes('"start-up trace"')) continue;
          ok((JSON.parse(line) as { trace: StartTrace }).trace);
          return true;
        }
        return false;
      };
      if (!find()) server.proc.stdout!.on("data", () => find());
    });
    const since = (epoch: number) => epoch - spawned;
    const client = (name: string, at: number): Row => ({ name, at: since(at), mainCpuMs: null, processCpuMs: null, thread: "bench" });
    const rows: Row[] = [
      client("spawn (bench)", spawned),
      { name: "node: V8 started", at: since(trace.timeOrigin + trace.node.v8Start!), mainCpuMs: null, processCpuMs: null, thread: "main" },
      {
        name: "node: bootstrap complete",
        at: since(trace.timeOrigin + trace.node.bootstrapComplete!),
        mainCpuMs: null,
        processCpuMs: null,
        thread: "main",
      },
      ...trace.marks.map((m) => ({
        name: m.name,
        at: since(trace.timeOrigin + m.ms),
        mainCpuMs: m.threadCpuMs,
        processCpuMs: m.processCpuMs,
        thread: m.thread,
      })),
      client("'listening' line read (bench)", listenedSeen),
      client("SDK answer read (bench)", answered),
    ];
    return { rows: rows.sort((a, b) => a.at - b.at), threads: trace.threads };
  } finally {
    clearTimeout(timer);
    await server.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Several starts of the package as installed (`entry`: its bin/roomledger.js, which runs dist/),
 * the median of each row by name (and of each thread name's CPU), as text.
 */
export async function timeline(entry: string, starts: number, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const all: Awaited<ReturnType<typeof timelineOfOneStart>>[] = [];
  for (let i = 0; i < starts; i++) all.push(await timelineOfOneStart(entry, env));
  const lines = [`cold start in memory, median of ${starts} (ms since spawn | main thread CPU | process CPU | thread):`];
  for (const { name, thread } of all[0]!.rows) {
    const rows = all.map((s) => s.rows.find((r) => r.name === name)).filter((r) => r !== undefined);
    const col = (f: (r: Row) => number | null) => {
      const xs = rows.map(f).filter((x) => x !== null);
      return xs.length ? String(Math.round(median(xs))).padStart(6) : "     -";
    };
    lines.push(
      `${col((r) => r.at)} ${col((r) => (thread === "main" ? r.mainCpuMs : null))} ${col((r) => r.processCpuMs)}  ${name}${thread !== "main" && thread !== "bench" ? ` [${thread} thread: ${col((r) => r.mainCpuMs).trim()} ms CPU]` : ""}`,
    );
  }
  const names = [...new Set(all.flatMap((s) => s.threads.map((t) => t.name)))];
  lines.push("CPU by thread at the first answer (sum over same-named threads, median ms):");
  for (const name of names) {
    lines.push(
      `${String(median(all.map((s) => s.threads.filter((t) => t.name === name).reduce((n, t) => n + t.cpuMs, 0)))).padStart(6)}  ${name}`,
    );
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const scratch = mkdtempSync(join(tmpdir(), "roomledger-timeline-"));
  try {
    // A compile cache of its own, filled by a first start (as the bench's starts after its first).
    const entry = installedLayout(join(scratch, "package"));
    const env = { NODE_COMPILE_CACHE: join(scratch, "compile-cache") };
    await timelineOfOneStart(entry, env);
    process.stdout.write(`${await timeline(entry, Number(process.argv[2] ?? 5), env)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
