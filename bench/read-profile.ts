// With BENCH_READ_CPU_PROF=<dir>, the read-path benchmark's server runs under --cpu-prof;
// this reads its profile back and says, per measured action, where the server's main thread
// spent its time per request, by layer (PGlite, the pg driver, the gateway, Fastify, Node's
// HTTP, the products, GC, the socket write). The profiler slows the process and does not see
// the other threads or the kernel's work outside a call: compare actions with each other and
// with Echo, not with the CPU per request the run measures.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** V8's `.cpuprofile` format, as far as the read and echo profiles read it. */
export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One measured load: its window in the profile's clock (µs) and how many requests it answered. */
export interface ProfileWindow {
  action: string;
  from: number;
  to: number;
  requests: number;
}

/** A frame's layer; "" for Node internals and unnamed natives, which count for their caller's layer. */
function layer(fn: string, url: string): string {
  if (fn === "(garbage collector)") return "GC";
  if (fn === "writeUtf8String" || fn === "writev" || fn === "writeBuffer" || fn === "writeLatin1String") return "socket write (syscall)";
  if (url.includes("@electric-sql/pglite") || url.startsWith("wasm") || fn.startsWith("wasm")) return "PGlite";
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(url)) return "pg driver";
  // The envelope's serializer (JSON.stringify) runs inlined in this Fastify frame.
  if (url.includes("node_modules/fastify/") && fn === "preSerializationHookEnd") return "answer serialisation (JSON.stringify)";
  if (url.includes("node_modules/fastify/") || url.includes("find-my-way") || url.includes("avvio")) return "Fastify";
  if (url.includes("/src/products/")) return "products";
  if (url.includes("/src/protocols/")) return "gateway (src/protocols)";
  if (url.includes("/src/")) return "other src";
  if (url.includes("node_modules/")) return `dependency ${url.split("node_modules/").pop()!.split("/")[0]}`;
  return "";
}

/** The newest profile in `dir`. */
export function newestProfile(dir: string): string | null {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0] ?? null;
}

/** Per window: µs per request of the main thread by layer, largest first. */
export function summarise(file: string, windows: readonly ProfileWindow[]): string[] {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = layerOf.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    let l = layer(n.callFrame.functionName, n.callFrame.url);
    if (l === "") {
      const up = parent.get(id);
      l = up === undefined ? "Node (HTTP, streams, timers)" : resolve(up);
    }
    layerOf.set(id, l);
    return l;
  };
  const lines: string[] = [];
  for (const w of windows) {
    const acc = new Map<string, number>();
    let t = p.startTime;
    let total = 0;
    for (let i = 0; i < p.samples.length; i++) {
      t += p.timeDeltas[i]!;
      if (t < w.from || t > w.to) continue;
      const n = byId.get(p.samples[i]!)!;
      if (n.callFrame.functionName === "(idle)") continue;
      const d = p.timeDeltas[i + 1] ?? 0;
      total += d;
      const l = n.callFrame.functionName === "(program)" ? "unattributed (program)" : resolve(n.id);
      acc.set(l, (acc.get(l) ?? 0) + d);
    }
    const per = (us: number) => (us / Math.max(1, w.requests)).toFixed(1);
    const parts = [...acc]
      .sort((a, b) => b[1] - a[1])
      .filter(([, us]) => us / w.requests >= 0.5)
      .map(([l, us]) => `${l} ${per(us)}`);
    lines.push(`${w.action}: main thread ${per(total)} µs/request (profiled): ${parts.join(", ")}`);
  }
  return lines;
}
