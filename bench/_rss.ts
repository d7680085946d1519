import { readFileSync, mkdtempSync } from "node:fs";
import { startServer } from "../test/support/server.ts";
import { METRIC_IDS } from "../src/products/rtc/metrics.ts";
const dir = mkdtempSync("/tmp/rss-");
const opts = process.argv[2] ?? "";
let s = await startServer({ dataDir: dir, dev: false });
await s.stop();
s = await startServer({ dataDir: dir, dev: false, env: opts ? { NODE_OPTIONS: opts } : {} });
const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${s.proc.pid}/status`, "utf8"))![1]) / 1024);
console.log("restarted idle", rss());
const appId = await s.createApp(["rtc"]); const key = await s.ingestKey(appId);
const base = Date.now() - 3 * 86400000;
let k = 0;
for (let round = 0; round < 30; round++) {
  await Promise.all([0,1,2,3].map(async () => {
    const lines = []; const kk = k++;
    for (let i = 0; i < 2000; i++) { const n = kk * 2000 + i; const m: any = {}; for (const id of METRIC_IDS) m[id] = n % 100; lines.push(JSON.stringify({ ctime: base + Math.floor(n / 1000) * 2000, room_id: "r" + (n % 1000 / 10 | 0), uid: "u" + (n % 1000), metrics: m })); }
    const r = await fetch(`${s.url}/ingest/v1/rtc/qos`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" }, body: lines.join("\n") });
    if (r.status !== 200) console.log(r.status, await r.text()); else await r.text();
  }));
  if (round % 5 === 4) console.log("round", round, rss());
}
await s.stop();
