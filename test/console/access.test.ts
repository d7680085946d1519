// The console at the HTTP level, on each storage backend: who may see what (an account its
// own apps, another account a 404 for every URL of them, an admin token everything), the
// sign-in's protections (the form token, the Origin, wrong credentials, the session cookie's
// attributes, a tampered cookie), the class table and CSV against DescribeRoomStatistics,
// and escaping as a property: room names, user names and chat messages of any characters
// come back as text on the pages, never as markup.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { backends } from "../support/postgres.ts";
import { startServer, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";
import { clientConfig, sdk } from "../support/tencent.ts";
import { postEvents } from "../support/ingest.ts";
import { escapeHtml } from "../../src/console/html.ts";

/** A signed-in client: its cookie header, or null before. */
class Visitor {
  cookie: string | null = null;
  private readonly url: string;
  constructor(url: string) {
    this.url = url;
  }
  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, { redirect: "manual", headers: { ...headers, ...(this.cookie ? { cookie: this.cookie } : {}) } });
  }
  /** The sign-in page's form token and its cookie. */
  async form(): Promise<{ csrf: string; cookie: string }> {
    const res = await fetch(`${this.url}/console/sign-in`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await res.text())![1]!;
    return { csrf, cookie: res.headers.getSetCookie()[0]!.split(";")[0]! };
  }
  async post(fields: Record<string, string>, cookie: string | null, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.url}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}), ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  }
  async signIn(fields: Record<string, string>): Promise<Response> {
    const f = await this.form();
    const res = await this.post({ ...fields, csrf: f.csrf }, f.cookie);
    const session = res.headers.getSetCookie().find((c) => c.startsWith("rl_console="));
    if (session) this.cookie = session.split(";")[0]!;
    return res;
  }
}

const decode = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39|#96);/g, (_m, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#96": "`" })[e]!);
const cell = (v: unknown): string => (v === null || v === undefined ? "" : Array.isArray(v) ? v.join(";") : String(v));

for (const backend of backends()) {
  describe(`console access and content (${backend})`, () => {
    let server: TestServer;
    let lcic: any;
    let appId: string;
    let rtcApp: string;
    let trroApp: string;
    let gmeApp: string;
    let roomId: number;
    let ingestKey: string;
    const owner = () => new Visitor(server.url);

    before(async () => {
      server = await startServer({ backend });
      lcic = new sdk.lcic.v20220817.Client(clientConfig(server) as never);
      appId = await server.createApp(["lcic", "tiw"], "school <b>A</b>");
      rtcApp = await server.createApp(["rtc"]);
      trroApp = await server.createApp(["trro"]);
      gmeApp = await server.createApp(["gme"]);
      ingestKey = await server.ingestKey(appId);
      // An ended class with its statistics.
      const { UserId: teacher } = await lcic.RegisterUser({ SdkAppId: Number(appId), Name: "Ms. T" });
      const now = Math.floor((await server.admin<{ now: number }>("GET", "/clock")).now / 1000);
      roomId = (
        await lcic.CreateRoom({
          SdkAppId: Number(appId),
          Name: "Physics, 101",
          TeacherId: teacher,
          StartTime: now + 1,
          EndTime: now + 600,
          Resolution: 1,
          MaxMicNumber: 1,
          SubType: "videodoc",
        })
      ).RoomId;
      const t0 = (now + 2) * 1000;
      const ev = [
        { id: "a1", type: "lcic.member.joined", ctime: t0, data: { RoomId: roomId, UserId: teacher, Role: 1, Location: 'Paris, "FR"' } },
        { id: "a2", type: "lcic.message.sent", ctime: t0 + 1000, data: { RoomId: roomId, UserId: teacher, Text: "hello" } },
        { id: "a3", type: "lcic.hand.raised", ctime: t0 + 2000, data: { RoomId: roomId, UserId: teacher } },
      ];
      assert.equal((await postEvents(server, ingestKey, JSON.stringify(ev))).status, 200);
      await server.advance(60);
      await lcic.EndRoom({ RoomId: roomId });
      for (let i = 0; ; i++) {
        try {
          await lcic.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 });
          break;
        } catch (err) {
          if (i > 100) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    });
    after(() => server?.stop());

    const ownUrls = () => [
      `/console/apps/${appId}/rooms`,
      `/console/apps/${appId}/rooms?rows=1`,
      `/console/apps/${appId}/rooms/${roomId}`,
      `/console/apps/${appId}/rooms/${roomId}/statistics.csv`,
      `/console/apps/${appId}/tasks`,
      `/console/apps/${gmeApp}/tasks`,
      `/console/apps/${rtcApp}/quality?room=${roomId}&user=x`,
      `/console/apps/${trroApp}/fleet`,
    ];

    test("signed out: every page sends to the sign-in page, a rows refresh gets 401", async () => {
      const v = owner();
      for (const path of ["/console", "/console/", "/console/apps", ...ownUrls().filter((u) => !u.includes("rows=1"))]) {
        const res = await v.get(path);
        assert.equal(res.status, 303, path);
        assert.equal(res.headers.get("location"), "/console/sign-in", path);
      }
      assert.equal((await v.get(`/console/apps/${appId}/rooms?rows=1`)).status, 401);
      assert.equal((await v.get("/console/assets/uPlot.iife.min.js")).status, 200, "assets need no session");
      assert.equal((await v.get("/console/assets/nope.js")).status, 404);
    });

    test("sign-in: the form token, the Origin, wrong credentials, the cookie's attributes, a tampered cookie", async () => {
      const v = owner();
      const f = await v.form();
      const fields = { secretId: server.secretId, secretKey: server.secretKey };
      assert.equal((await v.post({ ...fields, csrf: f.csrf }, null)).status, 403, "no form cookie");
      assert.equal((await v.post({ ...fields, csrf: "forged" }, f.cookie)).status, 403, "a token that is not the cookie's");
      assert.equal((await v.post({ ...fields, csrf: f.csrf }, f.cookie, { origin: "http://evil.example" })).status, 403, "cross-origin");
      assert.equal((await v.post({ ...fields, secretKey: "wrong", csrf: f.csrf }, f.cookie)).status, 401, "wrong key");
      assert.equal((await v.post({ adminToken: "rladm_wrong", csrf: f.csrf }, f.cookie)).status, 401, "wrong token");
      const f2 = await v.form();
      const ok = await v.post({ ...fields, csrf: f2.csrf }, f2.cookie, { origin: server.url });
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.get("location"), "/console/apps");
      const session = ok.headers.getSetCookie().find((c) => c.startsWith("rl_console="))!;
      assert.match(session, /; HttpOnly/);
      assert.match(session, /; SameSite=Strict/);
      assert.match(session, /; Path=\/console/);
      const value = session.split(";")[0]!;
      v.cookie = value;
      assert.equal((await v.get("/console/apps")).status, 200);
      // The signature covers the session id: one changed character is no session.
      const tampered = value.replace(/=(.)/, (_m, c: string) => `=${c === "A" ? "B" : "A"}`);
      v.cookie = tampered;
      assert.equal((await v.get("/console/apps")).status, 303);
      // Signing out ends the session on the server, not only in the browser.
      v.cookie = value;
      await fetch(`${server.url}/console/sign-out`, { method: "POST", redirect: "manual", headers: { cookie: value } });
      assert.equal((await v.get("/console/apps")).status, 303);
    });

    test("another account: none of the first's apps, and a 404 for each of their URLs; an admin token sees both", async () => {
      const a = owner();
      assert.equal((await a.signIn({ secretId: server.secretId, secretKey: server.secretKey })).status, 303);
      for (const path of ownUrls()) assert.equal((await a.get(path)).status, 200, path);
      const apps = await (await a.get("/console/apps")).text();
      assert.match(apps, /school &lt;b&gt;A&lt;\/b&gt;/);

      const other = await server.admin<{ secretId: string; secretKey: string; accountId: string }>("POST", "/accounts", { name: "B" });
      const bApp = (
        await server.admin<{ appId: string }>("POST", "/apps", { products: ["lcic"], accountId: other.accountId, name: "school B" })
      ).appId;
      const b = owner();
      assert.equal((await b.signIn({ secretId: other.secretId, secretKey: other.secretKey })).status, 303);
      const bApps = await (await b.get("/console/apps")).text();
      assert.doesNotMatch(bApps, new RegExp(`${appId}|${rtcApp}|${trroApp}|${gmeApp}|school &lt;b`));
      assert.match(bApps, /school B/);
      for (const path of ownUrls()) {
        const res = await b.get(path);
        assert.equal(res.status, 404, path);
        assert.doesNotMatch(await res.text(), /Physics|Ms\. T/);
      }
      // The first account's room under the second's own app: still not found.
      assert.equal((await b.get(`/console/apps/${bApp}/rooms/${roomId}`)).status, 404);
      assert.equal((await a.get(`/console/apps/${bApp}/rooms`)).status, 404);

      const admin = owner();
      assert.equal((await admin.signIn({ adminToken: TEST_ADMIN_TOKEN })).status, 303);
      const all = await (await admin.get("/console/apps")).text();
      assert.match(all, new RegExp(appId));
      assert.match(all, new RegExp(bApp));
      assert.equal((await admin.get(`/console/apps/${appId}/rooms/${roomId}`)).status, 200);
    });

    test("the class table and its CSV equal DescribeRoomStatistics", async () => {
      const v = owner();
      await v.signIn({ secretId: server.secretId, secretKey: server.secretKey });
      const res = await v.get(`/console/apps/${appId}/rooms/${roomId}`);
      assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'self'/);
      const page = await res.text();
      const stats = await lcic.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 100 });
      const table = /<table id="stats-table">([\s\S]*?)<\/table>/.exec(page)![1]!;
      const header = [...table.matchAll(/<th>(.*?)<\/th>/g)].map((m) => decode(m[1]!));
      const rows = [...table.matchAll(/<tr>((?:<td>.*?<\/td>)+)<\/tr>/g)].map((r) =>
        [...r[1]!.matchAll(/<td>(.*?)<\/td>/g)].map((m) => decode(m[1]!)),
      );
      assert.deepEqual(
        rows,
        stats.MemberRecords.map((r: Record<string, unknown>) => header.map((h) => cell(r[h]))),
      );
      assert.ok(rows.flat().includes('Paris, "FR"'));
      const csv = await v.get(`/console/apps/${appId}/rooms/${roomId}/statistics.csv`);
      assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
      const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      assert.equal(await csv.text(), `${[header, ...rows].map((r) => r.map(q).join(",")).join("\r\n")}\r\n`);
    });

    test("room names, user names and messages of any characters are shown as text (property)", async () => {
      const v = owner();
      await v.signIn({ secretId: server.secretId, secretKey: server.secretKey });
      const text = fc.string({
        unit: fc.constantFrom(
          "<",
          ">",
          '"',
          "'",
          "`",
          "&",
          "/",
          "=",
          " ",
          "a",
          "script",
          "img src=x onerror=alert(1)",
          "</td>",
          "&amp;",
          "é",
        ),
        minLength: 1,
        maxLength: 12,
      });
      const marked = text.map((t) => `§${t}`);
      let n = 0;
      await fc.assert(
        // Each text starts with a mark no page has of its own, so that "the raw text is not on
        // the page" means something for a text as short as "<" (every page has a "<").
        fc.asyncProperty(marked, marked, marked, async (roomName, userName, message) => {
          n++;
          const { UserId } = await lcic.RegisterUser({ SdkAppId: Number(appId), Name: userName });
          const now = Math.floor((await server.admin<{ now: number }>("GET", "/clock")).now / 1000);
          const { RoomId } = await lcic.CreateRoom({
            SdkAppId: Number(appId),
            Name: roomName,
            TeacherId: UserId,
            StartTime: now + 1,
            EndTime: now + 600,
            Resolution: 1,
            MaxMicNumber: 1,
            SubType: "videodoc",
          });
          const ev = [
            { id: `x${n}-j`, type: "lcic.member.joined", ctime: (now + 2) * 1000, data: { RoomId, UserId, Role: 1 } },
            { id: `x${n}-m`, type: "lcic.message.sent", ctime: (now + 3) * 1000, data: { RoomId, UserId, Text: message } },
          ];
          assert.equal((await postEvents(server, ingestKey, JSON.stringify(ev))).status, 200);
          const page = await (await v.get(`/console/apps/${appId}/rooms/${RoomId}`)).text();
          assert.ok(page.includes(`<h1>${escapeHtml(roomName)} <span`), "the room name, escaped, in the title");
          assert.ok(page.includes(`<td>${escapeHtml(userName)}</td><td>${escapeHtml(message)}</td>`), "sender and message, escaped");
          for (const s of [roomName, userName, message]) if (/[<>"'`]/.test(s)) assert.ok(!page.includes(s), `raw ${JSON.stringify(s)}`);
          const list = await (await v.get(`/console/apps/${appId}/rooms?status=1`)).text();
          assert.ok(list.includes(`<td>${escapeHtml(roomName)}</td>`));
          await lcic.EndRoom({ RoomId });
        }),
        { numRuns: 12 },
      );
    });
  });
}
