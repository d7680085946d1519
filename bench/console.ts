// Web console benchmark (issue 19), on PGlite: the demo's class (30 students, 45 minutes,
// chat, hands, a kick) played into an in-process server, then
//  1. the first load of the class page: the bytes a browser transfers for it (the HTML, the
//     console's stylesheet and script; the page loads nothing else), target <= 150 KB;
//  2. the class page rendered server-side (the page function in process, over the real
//     store), target <= 200 ms (median of 15 after 2 warm-ups), and over HTTP for reference;
//  3. a 1-hour all-metrics call-quality chart: one user's uplink and one downlink stream,
//     all 23 Huawei metrics every 2 s (82,800 points), rendered server-side, target <= 200 ms;
//     the page's bytes and uPlot's for reference (drawing them is the browser's work).
import { Writable } from "node:stream";
import { quantile, type Benchmark, type Figure } from "./harness.ts";
import { startInProcess } from "../test/support/harness.ts";
import { remoteTarget } from "../src/demo/target.ts";
import { runDemo } from "../src/demo/run-demo.ts";
import { classPage } from "../src/console/class-page.ts";
import { qualityPage, qualityQuery } from "../src/console/quality-page.ts";
import { roomById } from "../src/products/lcic/rooms/rooms-store.ts";
import { METRIC_IDS } from "../src/products/rtc/metrics.ts";
import type { Viewer } from "../src/console/session.ts";

const RUNS = 15;
const KB = 1024;

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 2; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Bytes on the wire of an answer without compression: status line, headers, body. */
async function transferred(res: Response): Promise<number> {
  const body = Buffer.byteLength(Buffer.from(await res.arrayBuffer()));
  let head = `HTTP/1.1 ${res.status} ${res.statusText}\r\n`.length + 2;
  res.headers.forEach((v, k) => (head += k.length + 2 + Buffer.byteLength(v) + 2));
  return head + body;
}

async function signIn(url: string, secretId: string, secretKey: string): Promise<string> {
  const form = await fetch(`${url}/console/sign-in`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${url}/console/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.headers.getSetCookie()[0]!.split(";")[0]! },
    body: new URLSearchParams({ csrf, secretId, secretKey }).toString(),
  });
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith("rl_console="))!
    .split(";")[0]!;
}

export const consoleBench: Benchmark = {
  name: "console",
  async run() {
    const figures: Figure[] = [];
    const s = await startInProcess({ dirPrefix: "roomledger-bench-console-", flags: { "rate-limit": "0", "log-level": "error" } });
    try {
      const { server } = s;
      const c = server.credentials;
      const t = await remoteTarget({
        url: server.url,
        adminUrl: server.adminUrl,
        secretId: c.secretId,
        secretKey: c.secretKey,
        adminToken: c.adminToken,
      });
      const sink = new Writable({ write: (_c, _e, cb) => cb() }) as unknown as NodeJS.WriteStream;
      const demo = await runDemo(t, { stdout: sink, stderr: sink, json: true, quiet: true });
      const { db, tenancy, clock } = server.platform;
      const ctx = { db, tenancy, clock: { now: () => clock.now() } };
      const account = (await tenancy.accounts())[0]!;
      const viewer: Viewer = { kind: "account", accountId: account.accountId, accountName: account.name, secretId: c.secretId };
      const cookie = await signIn(server.url, c.secretId, c.secretKey);
      const get = (path: string) => fetch(`${server.url}${path}`, { headers: { cookie } });

      // 1. First load of the class page.
      const classPath = `/console/apps/${demo.ids.sdkAppId}/rooms/${demo.ids.roomId}`;
      const html = await get(classPath);
      const page = await html.clone().text();
      const assets = [...page.matchAll(/(?:href|src)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]!);
      let bytes = await transferred(html);
      for (const a of assets) bytes += await transferred(await get(a));
      figures.push({
        name: `class page first load (HTML + ${assets.length} assets, 30 students, ${(page.match(/<tr>/g) ?? []).length} table rows)`,
        value: bytes / KB,
        unit: "KB",
        target: "<= 150 KB",
        met: bytes <= 150 * KB,
      });

      // 2. The class page, server-side.
      const app = (await tenancy.app(String(demo.ids.sdkAppId)))!;
      const room = (await roomById(db, demo.ids.roomId))!;
      const render = await timed(RUNS, () => classPage(ctx, viewer, app, room));
      figures.push({
        name: "class page render, server-side (median)",
        value: quantile(render, 0.5),
        unit: "ms",
        target: "<= 200 ms",
        met: quantile(render, 0.5) <= 200,
      });
      figures.push({ name: "class page render, server-side (p95)", value: quantile(render, 0.95), unit: "ms" });
      const overHttp = await timed(RUNS, async () => (await get(classPath)).text());
      figures.push({ name: "class page over HTTP (median, reference)", value: quantile(overHttp, 0.5), unit: "ms" });

      // 3. A 1-hour all-metrics chart.
      const { appId: rtcApp } = await t.admin<{ appId: string }>("POST", "/apps", { products: ["rtc"], name: "bench QoS" });
      const { key } = await t.admin<{ key: string }>("POST", "/ingest-keys", { appId: rtcApp });
      const to = Math.floor(clock.now() / 1000);
      const from = to - 3600;
      const lines: string[] = [];
      for (let s2 = from; s2 < to; s2 += 2) {
        const metrics = Object.fromEntries(METRIC_IDS.map((m, i) => [m, Math.round((Math.sin(s2 / 60 + i) + 1.5) * 100) / 10]));
        lines.push(JSON.stringify({ ctime: s2 * 1000, room_id: "bench-room", uid: "student", metrics }));
        lines.push(JSON.stringify({ ctime: s2 * 1000, room_id: "bench-room", uid: "teacher", peer_id: "student", metrics }));
      }
      for (let i = 0; i < lines.length; i += 1000) {
        const res = await fetch(`${server.url}/ingest/v1/rtc/qos`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
          body: lines.slice(i, i + 1000).join("\n"),
        });
        if (!res.ok) throw new Error(`QoS ingest: ${res.status} ${await res.text()}`);
      }
      const rtc = (await tenancy.app(rtcApp))!;
      const q = qualityQuery({ room: "bench-room", user: "student", from: String(from), to: String(to) }, clock.now());
      const chart = await timed(RUNS, () => qualityPage(ctx, viewer, rtc, q));
      const sample = await qualityPage(ctx, viewer, rtc, q);
      const points = [...sample.matchAll(/"v":\[([^\]]*)\]/g)].reduce((n, m) => n + m[1]!.split(",").length, 0);
      figures.push({
        name: `1-hour all-metrics chart render, server-side (median; ${points} points, ${METRIC_IDS.length} metrics × 2 streams)`,
        value: quantile(chart, 0.5),
        unit: "ms",
        target: "<= 200 ms",
        met: quantile(chart, 0.5) <= 200,
      });
      figures.push({ name: "1-hour all-metrics chart render, server-side (p95)", value: quantile(chart, 0.95), unit: "ms" });
      const qualityPath = `/console/apps/${rtcApp}/quality?room=bench-room&user=student&from=${from}&to=${to}`;
      figures.push({ name: "1-hour chart page HTML (reference)", value: (await transferred(await get(qualityPath))) / KB, unit: "KB" });
      figures.push({
        name: "uPlot script + stylesheet (reference, cached after the first chart)",
        value:
          ((await transferred(await get("/console/assets/uPlot.iife.min.js"))) +
            (await transferred(await get("/console/assets/uPlot.min.css")))) /
          KB,
        unit: "KB",
      });
      return figures;
    } finally {
      await s.stop();
    }
  },
};
