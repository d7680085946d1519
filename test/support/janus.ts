// A real Janus (Debian's `janus` package) for tests: started on loopback with a temporary
// configuration of our own (only the HTTP transport, the VideoRoom plugin and the sample HTTP
// event handler loaded; nothing read from /etc/janus), stopped and cleaned up after. When
// janus is missing and we run as root (CI does), it is installed with apt-get as chromium is
// in browser.ts; otherwise the test fails saying what to install: never a silent skip.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net, { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BINARY = "/usr/bin/janus";

export function janusPath(): string {
  if (existsSync(BINARY)) return BINARY;
  if (process.getuid?.() !== 0) throw new Error("janus is not installed: `sudo apt-get install -y janus` (Debian) and run again");
  execFileSync("apt-get", ["update"], { stdio: "ignore", timeout: 300_000 });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "janus"], {
    stdio: "ignore",
    timeout: 600_000,
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (!existsSync(BINARY)) throw new Error(`apt-get install janus did not provide ${BINARY}`);
  return BINARY;
}

/** Where Debian's janus keeps its modules (multiarch path, read from the package's own default config). */
function libDir(): string {
  for (const d of ["/usr/lib/x86_64-linux-gnu/janus", "/usr/lib/aarch64-linux-gnu/janus", "/usr/lib/janus"]) {
    if (existsSync(join(d, "plugins"))) return d;
  }
  throw new Error("janus's module folders (plugins, transports, events) were not found under /usr/lib");
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface JanusOptions {
  /** Where the sample event handler POSTs its events. */
  backend: string;
  backendUser?: string;
  backendPassword?: string;
  /** Seconds between media statistics per handle (Janus's default is 1). */
  statsPeriod?: number;
  /** combine_media_stats: one event per handle with every medium, instead of one per medium. */
  combineMediaStats?: boolean;
}

export interface JanusServer {
  /** The HTTP API's base URL, e.g. http://127.0.0.1:41234/janus */
  url: string;
  /** What Janus printed so far (for assertion messages). */
  log(): string;
  stop(): Promise<void>;
}

export async function startJanus(o: JanusOptions): Promise<JanusServer> {
  const binary = janusPath();
  const lib = libDir();
  const dir = mkdtempSync(join(tmpdir(), "roomledger-janus-"));
  const port = await freePort();
  // Load only what the test uses: every other module in the folders is disabled by file name.
  const others = (kind: string, keep: string) =>
    readdirSync(join(lib, kind))
      .filter((f) => !f.startsWith(keep))
      .join(",");
  // No ICE interface list: Janus never gathers on loopback (ice.c skips IFF_LOOPBACK), so its
  // candidates are the host's own addresses, which the browsers on this machine reach locally.
  const files: Record<string, string> = {
    "janus.jcfg": `general: {
  configs_folder = "${dir}"
  plugins_folder = "${lib}/plugins"
  transports_folder = "${lib}/transports"
  events_folder = "${lib}/events"
  loggers_folder = "${lib}/loggers"
  debug_level = 4
  session_timeout = 30
}
media: { }
nat: { }
plugins: { disable = "${others("plugins", "libjanus_videoroom.so")}" }
transports: { disable = "${others("transports", "libjanus_http.so")}" }
loggers: { disable = "${others("loggers", "-")}" }
events: {
  broadcast = true
  disable = "${others("events", "libjanus_sampleevh.so")}"
  stats_period = ${o.statsPeriod ?? 1}
  combine_media_stats = ${o.combineMediaStats ? "true" : "false"}
}
`,
    "janus.transport.http.jcfg": `general: { json = "compact", base_path = "/janus", http = true, port = ${port}, ip = "127.0.0.1", https = false }
admin: { admin_http = false }
cors: { }
`,
    "janus.plugin.videoroom.jcfg": "general: { }\n",
    "janus.eventhandler.sampleevh.jcfg": `general: {
  enabled = true
  events = "all"
  grouping = true
  json = "compact"
  backend = "${o.backend}"
${o.backendUser ? `  backend_user = "${o.backendUser}"\n  backend_pwd = "${o.backendPassword ?? ""}"\n` : ""}  max_retransmissions = 5
  retransmissions_backoff = 100
}
`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  let output = "";
  const proc: ChildProcess = spawn(binary, ["-C", join(dir, "janus.jcfg"), "-F", dir, "-o"], { stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  proc.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}/janus`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGINT");
      const t = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the HTTP API answers `info` (bounded: Janus starts in well under a second).
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`janus exited with ${proc.exitCode} at start:\n${output.slice(-3000)}`);
    }
    try {
      const res = await fetch(`${url}/info`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`janus did not answer on ${url} within 20 s:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, log: () => output, stop };
}
