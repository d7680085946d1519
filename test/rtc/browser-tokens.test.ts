// Browser upload tokens: the pure verifier (property: a tampered, expired or re-scoped token
// is never accepted), then the QoS ingest route with them over real HTTP: scope (403), expiry
// (401), per-app CORS with the preflight answered, and the CLI's local minting.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { backends } from "../support/postgres.ts";
import { runCli, startServer, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";
import { MAX_TOKEN_TTL_S, mintBrowserToken, parseBrowserToken, verifyBrowserToken } from "../../src/products/rtc/browser/browser-tokens.ts";

const id = fc.string({ minLength: 1, maxLength: 20 });
const NOW = 1_800_000_000_000;

describe("browser token verifier (property)", () => {
  const claims = fc.record({ appId: id, roomId: id, userId: id, secret: id, ttlSeconds: fc.integer({ min: 1, max: MAX_TOKEN_TTL_S }) });

  test("a fresh token verifies with its secret and carries exactly its scope", () => {
    fc.assert(
      fc.property(claims, (c) => {
        const parsed = parseBrowserToken(mintBrowserToken({ ...c, now: NOW }));
        assert.ok(parsed);
        const v = verifyBrowserToken(parsed, c.secret, NOW);
        assert.deepEqual(v, {
          ok: true,
          scope: { appId: c.appId, roomId: c.roomId, userId: c.userId, expiresAt: NOW / 1000 + c.ttlSeconds },
        });
      }),
    );
  });

  test("any changed character, another secret, or a time past expiry is never accepted", () => {
    fc.assert(
      fc.property(
        claims,
        fc.nat(),
        fc.integer({ min: 0, max: 63 }),
        id,
        fc.nat({ max: 10 * MAX_TOKEN_TTL_S }),
        (c, pos, ch, otherSecret, late) => {
          const token = mintBrowserToken({ ...c, now: NOW });
          const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
          const i = pos % token.length;
          const tampered = token.slice(0, i) + alphabet[ch] + token.slice(i + 1);
          if (tampered !== token) {
            const p = parseBrowserToken(tampered);
            // Base64url's last character may carry unused bits: a change there that decodes to
            // the same bytes is the same token, not a forgery.
            const same = p && p.payload === parseBrowserToken(token)!.payload && p.signature.equals(parseBrowserToken(token)!.signature);
            if (p && !same) assert.equal(verifyBrowserToken(p, c.secret, NOW).ok, false, `tampered at ${i}: ${tampered}`);
          }
          const parsed = parseBrowserToken(token)!;
          if (otherSecret !== c.secret) assert.equal(verifyBrowserToken(parsed, otherSecret, NOW).ok, false);
          const expired = verifyBrowserToken(parsed, c.secret, NOW + (c.ttlSeconds + late) * 1000);
          assert.deepEqual(expired, { ok: false, reason: "expired" });
        },
      ),
    );
  });

  test("a token re-signed for another room or user with the wrong secret, or garbage, is refused", () => {
    fc.assert(
      fc.property(claims, id, fc.string(), (c, room, garbage) => {
        const forged = mintBrowserToken({ ...c, roomId: room, secret: `${c.secret}x`, now: NOW });
        assert.equal(verifyBrowserToken(parseBrowserToken(forged)!, c.secret, NOW).ok, false);
        const p = parseBrowserToken(garbage);
        if (p) assert.equal(verifyBrowserToken(p, c.secret, NOW).ok, false);
      }),
    );
  });

  test("a lifetime over a day is refused when minted and when verified", () => {
    assert.throws(
      () => mintBrowserToken({ appId: "a", roomId: "r", userId: "u", secret: "s", ttlSeconds: MAX_TOKEN_TTL_S + 1 }),
      RangeError,
    );
    const long = mintBrowserToken({ appId: "a", roomId: "r", userId: "u", secret: "s", ttlSeconds: MAX_TOKEN_TTL_S, now: NOW + 3600_000 });
    assert.deepEqual(verifyBrowserToken(parseBrowserToken(long)!, "s", NOW), { ok: false, reason: "too-long-lived" });
  });
});

for (const backend of backends()) {
  describe(`QoS ingest with browser tokens (${backend})`, () => {
    let server: TestServer;
    let appId: string;
    let secret: string;
    let now: number;
    const ORIGIN = "http://page.example:8080";

    before(async () => {
      server = await startServer({ backend });
      appId = await server.createApp(["rtc"]);
      secret = (await server.admin<{ secret: string }>("POST", `/rtc/apps/${appId}/browser`, { origins: [ORIGIN] })).secret;
      now = (await server.admin<{ now: number }>("GET", "/clock")).now;
    });
    after(() => server.stop());

    const upload = (token: string, lines: object[], origin: string | null = ORIGIN) =>
      fetch(`${server.url}/ingest/v1/rtc/qos`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson", ...(origin ? { origin } : {}) },
        body: lines.map((l) => JSON.stringify(l)).join("\n"),
      });
    const error = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;
    const mint = (roomId = "room1", userId = "alice", ttlSeconds = 600) => mintBrowserToken({ appId, roomId, userId, secret, ttlSeconds });

    test("the token's own uplink and downlink samples are stored, with CORS headers for an allowed origin", async () => {
      const r = await upload(mint(), [
        { ctime: now - 4000, room_id: "room1", uid: "alice", metrics: { abit: 32 } },
        { ctime: now - 4000, room_id: "room1", uid: "bob", peer_id: "alice", metrics: { vbit: 900 } },
      ]);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN);
      assert.deepEqual(
        { ...((await r.json()) as object), requestId: "" },
        { received: 2, accepted: 2, duplicates: 0, expired: 0, points: 2, requestId: "" },
      );
    });

    test("a sample of another room or another user's measurement: 403, nothing stored", async () => {
      for (const bad of [
        { ctime: now - 2000, room_id: "room2", uid: "alice", metrics: { abit: 1 } },
        { ctime: now - 2000, room_id: "room1", uid: "bob", metrics: { abit: 1 } },
        { ctime: now - 2000, room_id: "room1", uid: "alice", peer_id: "bob", metrics: { abit: 1 } },
      ]) {
        const r = await upload(mint(), [{ ctime: now - 2000, room_id: "room1", uid: "alice", metrics: { abit: 7 } }, bad]);
        assert.equal(r.status, 403, JSON.stringify(bad));
        assert.equal(r.headers.get("access-control-allow-origin"), ORIGIN, "the browser can read why");
        const e = await error(r);
        assert.equal(e.code, "Forbidden");
        assert.match(e.message, /^sample 1: .*nothing was stored$/);
      }
      const again = await upload(mint(), [{ ctime: now - 2000, room_id: "room1", uid: "alice", metrics: { abit: 7 } }]);
      assert.equal(((await again.json()) as { accepted: number }).accepted, 1, "the refused batches stored nothing");
    });

    test("expired, tampered, unknown app, wrong secret: 401 with a clear message", async () => {
      const expired = mintBrowserToken({ appId, roomId: "room1", userId: "alice", secret, ttlSeconds: 60, now: Date.now() - 120_000 });
      const r = await upload(expired, [{ ctime: now, room_id: "room1", uid: "alice", metrics: { abit: 1 } }]);
      assert.equal(r.status, 401);
      assert.match((await error(r)).message, /^the browser token expired at .*; mint a new one$/);
      const t = mint();
      const tampered = `${t.slice(0, -2)}${t.at(-2) === "A" ? "B" : "A"}${t.at(-1)}`;
      assert.match((await error(await upload(tampered, []))).message, /signature is not valid/);
      const wrongSecret = mintBrowserToken({ appId, roomId: "room1", userId: "alice", secret: "guess" });
      assert.equal((await upload(wrongSecret, [])).status, 401);
      const unknownApp = mintBrowserToken({ appId: "0".repeat(24), roomId: "room1", userId: "alice", secret });
      assert.equal((await upload(unknownApp, [])).status, 401);
      assert.match((await error(await upload("rlbt1.garbage", []))).message, /malformed/);
    });

    test("CORS: preflight answered for an allowed origin, refused otherwise; a foreign origin's upload is 403", async () => {
      const pre = (origin: string) =>
        fetch(`${server.url}/ingest/v1/rtc/qos`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
        });
      const ok = await pre(ORIGIN);
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get("access-control-allow-origin"), ORIGIN);
      assert.equal(ok.headers.get("access-control-allow-methods"), "POST");
      assert.match(ok.headers.get("access-control-allow-headers") ?? "", /authorization/);
      const no = await pre("http://evil.example");
      assert.equal(no.status, 403);
      assert.equal(no.headers.get("access-control-allow-origin"), null);
      // A second app allows evil.example: the preflight passes, the upload with this app's token does not.
      const other = await server.createApp(["rtc"]);
      await server.admin("POST", `/rtc/apps/${other}/browser`, { origins: ["http://evil.example"] });
      assert.equal((await pre("http://evil.example")).status, 204);
      const r = await upload(mint(), [{ ctime: now, room_id: "room1", uid: "alice", metrics: { abit: 1 } }], "http://evil.example");
      assert.equal(r.status, 403);
      assert.match((await error(r)).message, /origin http:\/\/evil.example may not upload/);
    });

    test("the CLI sets browser access and mints a token the server accepts", async () => {
      const set = await runCli(
        ["browser-access", "set", "--app", appId, "--origins", `${ORIGIN},http://localhost:3000`, "--json", "--admin-url", server.adminUrl],
        { ...process.env, ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
      );
      assert.equal(set.code, 0, set.stderr);
      const access = JSON.parse(set.stdout) as { secret: string; origins: string[] };
      assert.equal(access.secret, secret, "the secret stays unless rotated");
      assert.deepEqual(access.origins, [ORIGIN, "http://localhost:3000"]);
      const minted = await runCli(["browser-token", "mint", "--app", appId, "--room", "room9", "--user", "carol", "--ttl", "120"], {
        ...process.env,
        ROOMLEDGER_BROWSER_SECRET: secret,
      });
      assert.equal(minted.code, 0, minted.stderr);
      const r = await upload(minted.stdout.trim(), [{ ctime: now, room_id: "room9", uid: "carol", metrics: { vfps: 30 } }]);
      assert.equal(r.status, 200);
    });
  });
}
