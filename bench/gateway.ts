// Gateway throughput: signed TC3 POST calls to the cheap `Echo` action through the full
// gateway (a `roomledger serve --rate-limit 0 --log-level warn --dev` subprocess) against a
// bare node:http server answering the same JSON (also a subprocess), both on loopback, driven
// by the same lean keep-alive client sending requests signed beforehand, one signature per
// request (TC3, src/protocols/tencent/signature-tc3.ts). Target (issue 2): the gateway reaches >= 50% of the bare throughput.
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tc3AuthorizationHeader } from "../src/protocols/tencent/signature-tc3.ts";
import { ROOT, spawnServe, spawnUntil, startPostgres, type Spawned } from "../test/support/harness.ts";
import type { Benchmark, Figure } from "./harness.ts";

const SECRET_ID = "AKIDroomledgerBENCH00000000000000001";
const SECRET_KEY = "roomledgerBenchSecretKey00000001";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

interface Target extends Spawned {
  port: number;
}

interface Signed {
  payload: string;
  headers: Record<string, string | number>;
}

/**
 * Signs a pool of distinct requests before the timed loop (the lean client spends its time
 * sending, not hashing); the server still verifies every signature. Re-signed per run so the
 * timestamps stay inside the 5-minute window.
 */
function signPool(port: number, size = 4096): Signed[] {
  const host = `127.0.0.1:${port}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: size }, (_, i) => {
    const payload = `{"Message":"bench ${i}","Count":2}`;
    const authorization = tc3AuthorizationHeader({
      method: "POST",
      path: "/",
      query: "",
      headers: { "content-type": "application/json", host },
      payload,
      timestamp,
      service: "roomledger",
      secretKey: SECRET_KEY,
      secretId: SECRET_ID,
    });
    return {
      payload,
      headers: {
        host,
        authorization,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(payload),
        "x-tc-action": "Echo",
        "x-tc-version": "2026-11-01",
        "x-tc-timestamp": String(timestamp),
        "x-tc-region": "ap-guangzhou",
      },
    };
  });
}

/** Runs CONCURRENCY request loops for `seconds`; returns completed requests per second. */
async function drive(port: number, seconds: number): Promise<{ rps: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const pool = signPool(port);
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const one = (i: number) =>
    new Promise<void>((resolveOne) => {
      const { payload, headers } = pool[i % pool.length]!;
      const req = http.request({ host: "127.0.0.1", port, method: "POST", path: "/", agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200 || !text.includes('"Message":"bench') || text.includes('"Error"')) errors++;
          done++;
          resolveOne();
        });
      });
      req.on("error", () => {
        errors++;
        resolveOne();
      });
      req.end(payload);
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let i = w; Date.now() < deadline; i += CONCURRENCY) await one(i);
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  return { rps: done / elapsed, errors };
}

function startGateway(dataDir: string, databaseUrl: string | null): Promise<Target> {
  return spawnServe({
    dataDir,
    databaseUrl,
    args: ["--rate-limit", "0", "--dev"],
    nodeFlags: process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [],
    env: { ROOMLEDGER_SECRET_ID: SECRET_ID, ROOMLEDGER_SECRET_KEY: SECRET_KEY },
  });
}

async function measure(t: Target, label: string): Promise<number> {
  await drive(t.port, 1); // warm-up: JIT, connections, key cache
  const r = await drive(t.port, SECONDS);
  if (r.errors > 0) throw new Error(`${label}: ${r.errors} failed requests`);
  return r.rps;
}

export const gatewayBench: Benchmark = {
  name: "gateway",
  async run(): Promise<Figure[]> {
    process.stdout.write(
      `[gateway] ${CONCURRENCY} concurrent keep-alive requests, ${SECONDS} s per target after 1 s warm-up, 4096 pre-signed requests cycled\n`,
    );
    const figures: Figure[] = [];
    const measureBare = async (): Promise<number> => {
      const bare = await spawnUntil("bare server", [join(ROOT, "bench", "bare-server.ts")], process.env, /bare listening on (\d+)/);
      try {
        return await measure({ ...bare, port: Number(bare.match[1]) }, "bare");
      } finally {
        await bare.stop();
      }
    };
    // The machine is shared and noisy: the baseline is measured before and after the
    // gateway runs, and the mean is the baseline.
    const bareBefore = await measureBare();
    const gateway: { backend: string; rps: number }[] = [];
    const pg = await startPostgres([]);
    try {
      for (const backend of ["pglite", "postgres"] as const) {
        const dataDir = mkdtempSync(join(tmpdir(), "roomledger-bench-"));
        const gw = await startGateway(dataDir, backend === "postgres" ? pg.url : null);
        try {
          gateway.push({ backend, rps: await measure(gw, `gateway ${backend}`) });
        } finally {
          await gw.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
    } finally {
      await pg.stop();
    }
    const bareAfter = await measureBare();
    const bareRps = (bareBefore + bareAfter) / 2;
    figures.push({
      name: `bare node:http (same JSON) req/s (before ${Math.round(bareBefore)}, after ${Math.round(bareAfter)})`,
      value: bareRps,
      unit: "req/s",
    });
    for (const g of gateway) {
      figures.push({
        name: `gateway Echo (TC3 POST, signed) on ${g.backend} req/s`,
        value: g.rps,
        unit: "req/s",
        baseline: { name: "bare node:http", value: bareRps },
        target: ">= 0.5 of baseline",
        met: g.rps / bareRps >= 0.5,
      });
    }
    return figures;
  },
};
