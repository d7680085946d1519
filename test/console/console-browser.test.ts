// The web console in a real headless Chromium (test/support/browser.ts), against the demo's
// data: `roomledger demo --url` plays its class, push, recording, fleet and QoS into one
// test server, then every page is opened signed in, with no console error, failed request
// or error status allowed, and a screenshot of each is written to test-artifacts/console/.
// The class table is compared with DescribeRoomStatistics fetched through
// tencentcloud-sdk-nodejs, the CSV with the table, the charts with ListRtcClientQosDetails
// through the Huawei SDK core, the tasks and the fleet with their SDK answers; another
// account sees none of it; a room in progress refreshes live; a hostile room name stays text.
// The same play is the demo's own test (its JSON against the script: ../demo/demo-checks.ts),
// so that the suite plays the demo here once instead of once more in a file of its own.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "puppeteer-core";
import { launchBrowser } from "../support/browser.ts";
import { hcClient, qosDetails } from "../support/huawei.ts";
import { ROOT, runCli, startServer, TEST_ADMIN_TOKEN, type CliRun, type TestServer } from "../support/server.ts";
import { clientConfig, sdk } from "../support/tencent.ts";
import { postEvents } from "../support/ingest.ts";
import type { DemoResult } from "../../src/demo/results.ts";
import { QOS_METRICS } from "../../src/simulate/qos-model.ts";
import { checkDemo } from "../demo/demo-checks.ts";

const ARTIFACTS = join(ROOT, "test-artifacts", "console");
let server: TestServer;
let browser: Browser | null = null;
let demo: DemoResult["ids"];
let demoRun: CliRun;
const problems: string[] = [];

before(
  async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer();
    const [run, b] = await Promise.all([
      runCli(
        [
          "demo",
          "--url",
          server.url,
          "--admin-url",
          server.adminUrl,
          "--secret-id",
          server.secretId,
          "--secret-key",
          server.secretKey,
          // Progress stays on (on stderr): the demo's checks look for it.
          "--json",
        ],
        { ...process.env, ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
      ),
      launchBrowser().catch((err: unknown) => err as Error),
    ]);
    if (b instanceof Error) throw b;
    browser = b;
    demoRun = run;
    assert.equal(run.code, 0, run.stderr);
    demo = (JSON.parse(run.stdout) as DemoResult).ids;
  },
  { timeout: 600_000 },
);
after(async () => {
  const proc = browser?.process();
  await Promise.race([browser?.close(), new Promise((r) => setTimeout(r, 5000))]).catch(() => {});
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
  await server?.stop();
});

/** A page whose console errors, uncaught exceptions, failed requests and error answers are all problems. */
async function watchedPage(ctx: BrowserContext | Browser, allow404 = false): Promise<Page> {
  const page = await ctx.newPage();
  await page.setViewport({ width: 1360, height: 900 });
  page.on("console", (m) => {
    if (m.type() === "error" && !(allow404 && /404/.test(m.text()))) problems.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${(e as Error).message} (${page.url()})`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400 && !(allow404 && r.status() === 404)) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return page;
}

async function signIn(page: Page, fields: Record<string, string>): Promise<void> {
  await page.goto(`${server.url}/console/`, { waitUntil: "load" });
  assert.match(page.url(), /\/console\/sign-in$/);
  for (const [id, value] of Object.entries(fields)) await page.type(`#${id}`, value);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("button[type=submit]")]);
  assert.match(page.url(), /\/console\/apps$/);
}

async function visit(page: Page, path: string, shot: string): Promise<void> {
  const res = await page.goto(`${server.url}${path}`, { waitUntil: "load" });
  assert.equal(res?.status(), 200, path);
  await page.screenshot({ path: join(ARTIFACTS, `${shot}.png`), fullPage: true });
}

const cell = (v: unknown): string => (v === null || v === undefined ? "" : Array.isArray(v) ? v.join(";") : String(v));

/** RFC 4180 records (the test's own reader). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      (row = []), (field = ""), i++;
    } else field += c;
  }
  return rows;
}

test("roomledger demo: the class, the push, the recording, the fleet and the QoS, as the script says", () => checkDemo(demoRun));

// The demo (played in `before`) takes most of this file's time: 1 to 4 minutes on the shared
// 2-core machine depending on its load, hence the longer limit.
test("the console over the demo's data: every page, the class table, the CSV, the charts, the tasks, the fleet", {
  timeout: 600_000,
}, async () => {
  const page = await watchedPage(browser!);
  await page.goto(`${server.url}/console/sign-in`, { waitUntil: "load" });
  await page.screenshot({ path: join(ARTIFACTS, "sign-in.png") });
  await signIn(page, { secretId: server.secretId, secretKey: server.secretKey });
  await visit(page, "/console/apps", "apps");
  const apps = await page.$$eval(".card", (cards) => cards.map((c) => c.getAttribute("data-app")));
  for (const id of [demo.sdkAppId, demo.rtcAppId, demo.bizId, demo.projectId]) assert.ok(apps.includes(String(id)), `app ${id} listed`);

  // ---- Rooms, then the class. ----
  await visit(page, `/console/apps/${demo.sdkAppId}/rooms`, "rooms");
  assert.deepEqual(await page.$$eval("tbody tr", (rows) => rows.map((r) => [r.getAttribute("data-room"), r.getAttribute("data-status")])), [
    [String(demo.roomId), "2"],
  ]);
  await visit(page, `/console/apps/${demo.sdkAppId}/rooms/${demo.roomId}`, "class");
  const lcic = new sdk.lcic.v20220817.Client(clientConfig(server) as never);
  const stats = (await lcic.DescribeRoomStatistics({ RoomId: demo.roomId, Page: 1, Limit: 1000 })) as unknown as Record<string, unknown> & {
    MemberRecords: Record<string, unknown>[];
  };
  const header = await page.$$eval("#stats-table thead th", (th) => th.map((h) => h.textContent));
  assert.deepEqual([...header].sort(), Object.keys(stats.MemberRecords[0]!).sort(), "the table has the SDK model's columns");
  const body = await page.$$eval("#stats-table tbody tr", (rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
  );
  assert.deepEqual(
    body,
    stats.MemberRecords.map((r) => header.map((h) => cell(r[h!]))),
    "the class table equals DescribeRoomStatistics",
  );
  const summary = await page.$$eval("#stats-summary [data-field]", (d) =>
    d.map((x) => [x.getAttribute("data-field"), x.querySelector("b")!.textContent]),
  );
  for (const [field, text] of summary) assert.equal(text, cell(stats[field!]), field!);
  assert.equal(summary.length, 7);
  const csv = await page.$eval("#csv", async (link) => (await fetch((link as unknown as { href: string }).href)).text());
  assert.deepEqual(parseCsv(csv), [header, ...body], "the CSV equals the table");
  // The timeline: a row per member, presence blocks, and the marks the class had.
  const timeline = await page.$eval("svg.timeline", (svg) => ({
    blocks: svg.querySelectorAll("rect.block").length,
    users: new Set([...svg.querySelectorAll("rect.block")].map((r) => r.getAttribute("data-user"))).size,
    marks: Object.fromEntries(["mic", "cam", "hand", "kick"].map((k) => [k, svg.querySelectorAll(`[data-mark=${k}]`).length])),
  }));
  assert.equal(timeline.users, stats.MemberNumber, "a presence for everyone who came");
  assert.ok(timeline.blocks > timeline.users, "reconnects make more blocks than members");
  assert.equal(
    timeline.marks.hand,
    stats.MemberRecords.reduce((n, r) => n + Number(r.HandUps), 0),
    "a mark per hand-up",
  );
  assert.equal(timeline.marks.kick, stats.MemberRecords.filter((r) => r.CurrentState === 3).length, "a mark per kick");
  assert.ok(timeline.marks.mic > 0 && timeline.marks.cam > 0);
  const messages = await page.$$eval("#messages tbody tr", (r) => r.length);
  assert.equal(messages, stats.MessageCount, "every message of the class");

  // ---- Call quality of the demo's QoS user over the class. ----
  const window = `room=${demo.roomId}&user=${demo.qosUserId}&from=${demo.startTime}&to=${demo.endTime - 1}`;
  await page.goto(`${server.url}/console/apps/${demo.rtcAppId}/quality?${window}`, { waitUntil: "load" });
  await page.waitForSelector("body[data-charts]");
  const mids = await page.$$eval("[data-mid]", (d) => d.map((x) => x.getAttribute("data-mid")));
  assert.deepEqual([...mids].sort(), [...QOS_METRICS].sort(), "a chart per metric the clients reported");
  assert.equal(await page.$eval("body", (b) => b.getAttribute("data-charts")), String(QOS_METRICS.length));
  assert.match(
    await page.$eval("[data-mid=vbit]", (d) => d.parentElement!.querySelector("h3")!.textContent!),
    /video bitrate vbit · kbit\/s/,
  );
  const embedded = await page.$eval("#qos-data", (s) => JSON.parse(s.textContent!));
  const iso = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 19)}Z`;
  const answer = await qosDetails(hcClient(server), {
    app_id: demo.rtcAppId,
    room_id: String(demo.roomId),
    user_id: demo.qosUserId,
    mid: "vbit",
    start_time: iso(demo.startTime),
    end_time: iso(demo.endTime - 1),
  });
  const vbit = embedded.metrics.find((m: { mid: string }) => m.mid === "vbit");
  const upSeries = vbit.series.find((x: { s: number }) => embedded.streams[x.s].label.startsWith("up"));
  const up = { t: embedded.streams[upSeries.s].t, v: upSeries.v };
  const wire = answer.data!.find((d) => d.peerid === "0")!.data;
  assert.deepEqual(
    up.t.map((t: number, i: number) => [iso(t), up.v[i]]),
    wire.map((p) => [p.time, p.value]),
    "the chart's points are ListRtcClientQosDetails' points",
  );
  // Zoom: a drag across the chart narrows the time axis, a double-click gives the window back.
  const scale = () =>
    page.$eval("[data-mid=vbit]", (d) => {
      const x = (d as unknown as { chart: { scales: { x: { min: number; max: number } } } }).chart.scales.x;
      return [x.min, x.max];
    });
  assert.deepEqual(await scale(), [demo.startTime, demo.endTime - 1], "the whole query window");
  const over = (await page.$("[data-mid=vbit] .u-over"))!;
  await over.scrollIntoView();
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const [min, max] = await scale();
  assert.ok(
    min! > demo.startTime && max! < demo.endTime - 1 && max! - min! < (demo.endTime - demo.startTime) / 5,
    `zoomed in: ${min}–${max}`,
  );
  await over.click({ count: 2 });
  assert.deepEqual(await scale(), [demo.startTime, demo.endTime - 1], "a double-click gives the whole window back");
  await page.screenshot({ path: join(ARTIFACTS, "quality.png"), fullPage: true });

  // ---- Tasks: the push's journey, the recording's streams. ----
  await visit(page, `/console/apps/${demo.sdkAppId}/tasks`, "tasks-whiteboard");
  const tiw = new sdk.tiw.v20190919.Client(clientConfig(server) as never);
  const push = await tiw.DescribeWhiteboardPush({ SdkAppId: demo.sdkAppId, TaskId: demo.pushTaskId });
  const row = await page.$eval(`#pushes [data-task="${demo.pushTaskId}"]`, (j) => ({
    steps: [...j.querySelectorAll(".step.done")].map((s) => s.textContent!.split(" ")[0]),
    cells: [...j.closest("tr")!.querySelectorAll("td")].map((td) => td.textContent),
  }));
  assert.deepEqual(row.steps, ["PREPARED", "PUSHING", "STOPPED"]);
  assert.equal(push.Status, "STOPPED");
  assert.match(row.cells[3]!, new RegExp(`STOPPED.*${push.FinishReason}`));
  assert.equal(row.cells[4], String(push.ExceptionCnt));
  await visit(page, `/console/apps/${demo.bizId}/tasks`, "tasks-voice");
  const gme = new sdk.gme.v20180711.Client(clientConfig(server) as never);
  const rec = await gme.DescribeRecordInfo({ BizId: demo.bizId, TaskId: demo.gmeTaskId });
  const streams = await page.$$eval("#recordings [data-stream]", (s) =>
    s.map((x) => [x.getAttribute("data-stream"), x.querySelectorAll(".step.done").length]),
  );
  assert.deepEqual(
    streams.sort(),
    rec.RecordInfo!.map((r) => [r.UserId, [2, 10, 11, 12, 13, 14].filter((n) => n <= r.RecordStatus!).length]).sort(),
  );

  // ---- Fleet: the shown device's sessions, with their quality. ----
  await visit(page, `/console/apps/${demo.projectId}/fleet?device=${demo.deviceId}`, "fleet");
  const trro = new sdk.trro.v20220325.Client(clientConfig(server) as never);
  const sessions = await trro.DescribeDeviceSessionList({
    ProjectId: demo.projectId,
    DeviceId: demo.deviceId,
    PageNumber: 1,
    PageSize: 100,
    StartTime: demo.startTime - 60,
    EndTime: demo.endTime + 60,
  });
  const shown = await page.$$eval("#sessions tbody tr", (rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
  );
  assert.deepEqual(
    shown.map((c) => [c[0], c[6]]),
    sessions.DeviceSessionList!.map((s) => [s.SessionId, s.Quality]),
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("another account sees nothing of the first; a room in progress refreshes live; a hostile name stays text", async () => {
  const other = await server.admin<{ secretId: string; secretKey: string }>("POST", "/accounts", { name: "another school" });
  const ctxB = await browser!.createBrowserContext();
  const b = await watchedPage(ctxB, true);
  await signIn(b, { secretId: other.secretId, secretKey: other.secretKey });
  assert.equal(await b.$$eval(".card", (c) => c.length), 0, "no app of the first account");
  for (const path of [
    `/console/apps/${demo.sdkAppId}/rooms`,
    `/console/apps/${demo.sdkAppId}/rooms/${demo.roomId}`,
    `/console/apps/${demo.sdkAppId}/rooms/${demo.roomId}/statistics.csv`,
    `/console/apps/${demo.rtcAppId}/quality?room=${demo.roomId}&user=${demo.qosUserId}`,
    `/console/apps/${demo.bizId}/tasks`,
    `/console/apps/${demo.projectId}/fleet`,
  ]) {
    const res = await b.goto(`${server.url}${path}`, { waitUntil: "load" });
    assert.equal(res?.status(), 404, path);
    assert.doesNotMatch(await b.content(), /Algebra|demo school|field_01/);
  }
  await ctxB.close();

  // A live class in the first account's app, with a name that would be markup if not escaped.
  const hostile = `<img src=x onerror="window.__xss=1">Live "class" & <b>more</b>`;
  const lcic = new sdk.lcic.v20220817.Client(clientConfig(server) as never);
  const { UserId: teacher } = await lcic.RegisterUser({ SdkAppId: demo.sdkAppId, Name: "T <script>" });
  const { UserId: student } = await lcic.RegisterUser({ SdkAppId: demo.sdkAppId, Name: "S" });
  const now = Math.floor((await server.admin<{ now: number }>("GET", "/clock")).now / 1000);
  const { RoomId } = await lcic.CreateRoom({
    SdkAppId: demo.sdkAppId,
    Name: hostile,
    TeacherId: teacher,
    StartTime: now + 1,
    EndTime: now + 3600,
    Resolution: 1,
    MaxMicNumber: 1,
    SubType: "videodoc",
  });
  const key = await server.ingestKey(String(demo.sdkAppId));
  const join = (id: string, user: string, role: number) =>
    postEvents(
      server,
      key,
      JSON.stringify([{ id, type: "lcic.member.joined", ctime: (now + 2) * 1000, data: { RoomId, UserId: user, Role: role } }]),
    );
  assert.equal((await join(`live-${RoomId}-t`, teacher!, 1)).status, 200);
  const ctxA = await browser!.createBrowserContext();
  const a = await watchedPage(ctxA);
  await signIn(a, { secretId: server.secretId, secretKey: server.secretKey });
  await visit(a, `/console/apps/${demo.sdkAppId}/rooms?status=1`, "rooms-live");
  const members = () => a.$eval(`tr[data-room="${RoomId}"] td:last-child`, (td) => td.textContent);
  assert.equal(await members(), "1 online");
  assert.equal(await a.$eval(`tr[data-room="${RoomId}"] td:nth-child(2)`, (td) => td.textContent), hostile);
  assert.equal(await join(`live-${RoomId}-s`, student!, 0).then((r) => r.status), 200);
  await a.waitForFunction(
    (id) => (globalThis as any).document.querySelector(`tr[data-room="${id}"] td:last-child`)?.textContent === "2 online",
    { timeout: 15_000 },
    RoomId,
  );
  await visit(a, `/console/apps/${demo.sdkAppId}/rooms/${RoomId}`, "class-live");
  assert.equal(await a.$eval("h1", (h) => h.firstChild!.textContent!.trim()), hostile);
  assert.equal(await a.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined);
  assert.equal(await a.$$eval("main img, main b", (x) => x.length), 0);
  assert.equal(await a.$$eval("svg.timeline rect.block", (r) => r.length), 2);
  await ctxA.close();
  assert.deepEqual(problems, []);
});
