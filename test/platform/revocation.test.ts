// Revocation of every credential kind (issue 16 item 7): key pairs (Tencent SecretId and the
// same pair as Huawei AK/SK), ingest keys, admin tokens, Huawei X-Auth-Tokens, TRRO device
// tokens and worker credentials. Each is used first (so a cache holds it), revoked through the
// admin API, and then refused in its protocol's own envelope:
// - on PostgreSQL by ANOTHER instance on the same database, within 1 s (the revocation poll,
//   tenancy/revocations.ts); the delay measured is printed;
// - on PGlite (one process per data directory) at once: the first request after the answer.
// The CLI commands are driven once on PGlite.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, runCli, TEST_ADMIN_TOKEN, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { diagnostic } from "../support/ingest.ts";
import { sdk, clientConfig } from "../support/tencent.ts";
import { hcClient, huaweiError, qosDetails } from "../support/huawei.ts";

const WITHIN_MS = 1000;
const iso = (t: number): string => `${new Date(t).toISOString().slice(0, 19)}Z`;
/** A QoS query the Huawei gateway answers 200 once authenticated (the last ten minutes; no such app is no error). */
const qosQuery = () => ({ app_id: "1", room_id: "r", start_time: iso(Date.now() - 600_000), end_time: iso(Date.now()), mid: "appcpu" });

/** A credential of one kind: made on `a`, tried on any instance, revoked on `a`. */
interface Kind {
  name: string;
  make(a: TestServer): Promise<Credential>;
}
interface Credential {
  /** True when `s` accepts it; false when `s` refuses it in the protocol's envelope (anything else throws). */
  accepted(s: TestServer): Promise<boolean>;
  revoke(a: TestServer): Promise<void>;
}

const tencentCall = (s: TestServer, secretId: string, secretKey: string) =>
  new sdk.lcic.v20220817.Client(clientConfig(s, { secretId, secretKey }) as never).DescribeRoom({ RoomId: 1 });

const kinds: Kind[] = [
  {
    name: "Tencent key pair (AuthFailure.SecretIdNotFound)",
    async make(a) {
      const { secretId, secretKey } = await a.admin<{ secretId: string; secretKey: string }>("POST", "/keys", {});
      return {
        async accepted(s) {
          const err = (await tencentCall(s, secretId, secretKey).catch((e) => e)) as { code?: string; message: string };
          if (err.code !== "AuthFailure.SecretIdNotFound") return true; // ResourceNotFound.Room: authenticated
          assert.equal(err.message, "The SecretId is not found, please ensure that your SecretId is correct.");
          return false;
        },
        revoke: (x) => x.admin("POST", "/keys/revoke", { secretId }),
      };
    },
  },
  {
    name: "the same pair as Huawei AK/SK (APIGW.0301 ak not exist)",
    async make(a) {
      const { secretId, secretKey } = await a.admin<{ secretId: string; secretKey: string }>("POST", "/keys", {});
      const account = (await a.admin<{ accounts: { huaweiProjectId: string }[] }>("GET", "/accounts")).accounts[0]!;
      return {
        async accepted(s) {
          const client = hcClient(s, { ak: secretId, sk: secretKey, projectId: account.huaweiProjectId });
          const err = await huaweiError(qosDetails(client, qosQuery())).catch(() => null); // null: answered 200
          if (err?.errorCode !== "APIGW.0301") return true;
          assert.deepEqual(
            [err.httpStatusCode, err.errorMsg],
            [401, "Incorrect IAM authentication information: Get secretKey failed,ak:******,err:ak not exist"],
          );
          return false;
        },
        revoke: (x) => x.admin("POST", "/keys/revoke", { secretId }),
      };
    },
  },
  {
    name: "ingest key (native 401)",
    async make(a) {
      const appId = await a.createApp(["lcic"]);
      const { key, prefix } = await a.admin<{ key: string; prefix: string }>("POST", "/ingest-keys", { appId });
      let n = 0;
      return {
        async accepted(s) {
          const res = await fetch(`${s.url}/ingest/v1/events`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
            body: JSON.stringify([diagnostic(`rev-${++n}`, n)]),
          });
          return nativeAnswer(res, "ingest");
        },
        revoke: (x) => x.admin("POST", "/ingest-keys/revoke", { appId, prefix }),
      };
    },
  },
  {
    name: "admin token (native 401)",
    async make(a) {
      const { token } = await a.admin<{ token: string }>("POST", "/admin-tokens", { label: "to revoke" });
      return {
        async accepted(s) {
          return nativeAnswer(await fetch(`${s.adminUrl}/admin/v1/accounts`, { headers: { authorization: `Bearer ${token}` } }), "admin");
        },
        revoke: (x) => x.admin("POST", "/admin-tokens/revoke", { token }),
      };
    },
  },
  {
    name: "Huawei X-Auth-Token (APIGW.0301 decrypt token fail)",
    async make(a) {
      const { token, huaweiProjectId } = await a.admin<{ token: string; huaweiProjectId: string }>("POST", "/rtc/tokens", {
        label: "to revoke",
      });
      return {
        async accepted(s) {
          const res = await fetch(`${s.url}/v1/${huaweiProjectId}/rtc/client/qos/details?${new URLSearchParams(qosQuery())}`, {
            headers: { "x-auth-token": token },
          });
          const body = (await res.json()) as { error_code?: string; error_msg?: string; request_id?: string };
          if (res.status !== 401) return true;
          assert.deepEqual(body, {
            error_code: "APIGW.0301",
            error_msg: "Incorrect IAM authentication information: decrypt token fail",
            request_id: res.headers.get("x-request-id"),
          });
          return false;
        },
        revoke: (x) => x.admin("POST", "/rtc/tokens/revoke", { token }),
      };
    },
  },
  {
    name: "TRRO device token (native 401)",
    async make(a) {
      const trro = new sdk.trro.v20220325.Client(clientConfig(a) as never);
      const { ProjectId } = await trro.CreateProject({ ProjectName: "revocation" });
      await trro.CreateDevice({
        ProjectId: ProjectId!,
        DeviceId: "dev1",
        DeviceName: "dev1",
        DeviceType: "field",
        DeviceToken: "Abcdef0123456789",
      });
      let n = 0;
      return {
        async accepted(s) {
          const res = await fetch(`${s.url}/ingest/v1/trro/reports`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-trro-project-id": ProjectId!,
              "x-trro-device-id": "dev1",
              authorization: "Bearer Abcdef0123456789",
            },
            body: JSON.stringify([{ id: `hb-${++n}`, type: "trro.device.heartbeat", ctime: Date.now(), data: {} }]),
          });
          return nativeAnswer(res, "device report");
        },
        revoke: (x) => x.admin("POST", `/trro/projects/${ProjectId}/devices/dev1/revoke-token`),
      };
    },
  },
  {
    name: "worker credential (agent protocol 401)",
    async make(a) {
      const appId = await a.createApp(["tiw"]);
      const made = await a.admin<{ credential: string; credentialId: string }>("POST", "/worker-credentials", {
        appId,
        kinds: ["tiw-push"],
      });
      return {
        async accepted(s) {
          const res = await fetch(`${s.url}/agent/v1/claim`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${made.credential}` },
            body: JSON.stringify({ kind: "tiw-push", workerId: "w" }),
          });
          return nativeAnswer(res, "claim");
        },
        revoke: (x) => x.admin("POST", "/worker-credentials/revoke", { appId, credentialId: made.credentialId }),
      };
    },
  },
];

/** 200: accepted; 401 in the native envelope: refused; anything else fails the test. */
async function nativeAnswer(res: Response, what: string): Promise<boolean> {
  const text = await res.text();
  if (res.status === 200) return true;
  assert.equal(res.status, 401, `${what}: ${text}`);
  const body = JSON.parse(text) as { error: { code: string; message: string }; requestId?: string };
  assert.equal(body.error.code, "Unauthorized", text);
  return false;
}

/**
 * Revokes on `a` and probes `b` until it refuses; returns the delay from the revocation's
 * answer to the start of the first refused request (an upper bound on its propagation).
 */
async function revokeAndWait(cred: Credential, a: TestServer, b: TestServer): Promise<{ delayMs: number; probes: number }> {
  await cred.revoke(a);
  const revokedAt = performance.now();
  for (let probes = 1; ; probes++) {
    const sent = performance.now();
    if (!(await cred.accepted(b))) return { delayMs: Math.round(sent - revokedAt), probes };
    if (sent - revokedAt > 5 * WITHIN_MS) assert.fail(`still accepted ${Math.round(sent - revokedAt)} ms after the revocation`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const backend of backends()) {
  describe(`revocation of every credential kind (${backend})`, () => {
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      a = await startServer({ backend, env: { ROOMLEDGER_RATE_LIMIT: "0" } });
      // PostgreSQL: a second instance on the same database. PGlite: the same one (one process per directory).
      b = backend === "postgres" ? await startServer({ databaseUrl: a.databaseUrl, env: { ROOMLEDGER_RATE_LIMIT: "0" } }) : a;
    });
    after(async () => {
      if (b !== a) await b.stop();
      await a.stop();
    });

    const delays: string[] = [];
    for (const kind of kinds) {
      test(`${kind.name}: refused ${backend === "postgres" ? "by the other instance within 1 s" : "at once"}`, async () => {
        const cred = await kind.make(a);
        assert.equal(await cred.accepted(b), true, "accepted before the revocation (and cached)");
        assert.equal(await cred.accepted(b), true);
        const { delayMs, probes } = await revokeAndWait(cred, a, b);
        delays.push(`${kind.name}: ${delayMs} ms (${probes} probes)`);
        if (backend === "pglite") assert.equal(probes, 1, "the first request after the revocation is refused");
        assert.ok(delayMs <= WITHIN_MS, `${delayMs} ms`);
        assert.equal(await cred.accepted(a), false, "refused by the revoking instance too");
        await assert.rejects(cred.revoke(a), /404/, "revoking twice is a 404");
      });
    }

    test("the last live admin token cannot be revoked; listings mark revoked credentials", async () => {
      await assert.rejects(a.admin("POST", "/admin-tokens/revoke", { token: TEST_ADMIN_TOKEN }), /409 .*last live admin token/);
      const keys = await a.admin<{ keys: { secretId: string; revokedAt: number | null }[] }>("GET", "/keys");
      assert.ok(keys.keys.some((k) => k.revokedAt !== null) && keys.keys.some((k) => k.revokedAt === null), JSON.stringify(keys));
      console.log(`revocation delays (${backend}): ${delays.join("; ")}`);
    });

    if (backend === "pglite") {
      test("the CLI: worker-credentials create/list/revoke, ingest-keys revoke --prefix, keys revoke", async () => {
        const env = { ...process.env, ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN };
        const cli = (...args: string[]) => runCli([...args, "--data", a.dataDir], env);
        const appId = await a.createApp(["gme"]);
        const made = await cli("worker-credentials", "create", "--app", appId, "--kind", "gme-record", "--json");
        assert.equal(made.code, 0, made.stderr);
        const { credentialId, credential } = JSON.parse(made.stdout) as { credentialId: string; credential: string };
        const listed = await cli("worker-credentials", "list", "--app", appId);
        assert.match(listed.stdout, new RegExp(`^${credentialId}\\trlwk_.{7}…\\tgme-record\\t\\tcreated `, "m"));
        const revoked = await cli("worker-credentials", "revoke", "--app", appId, "--id", credentialId);
        assert.equal(revoked.stdout, `revoked ${credentialId}\n`);
        assert.match((await cli("worker-credentials", "list", "--app", appId)).stdout, /REVOKED/);
        const claim = await fetch(`${a.url}/agent/v1/claim`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
          body: JSON.stringify({ kind: "gme-record", workerId: "w" }),
        });
        assert.equal(claim.status, 401);
        const { prefix } = await a.admin<{ prefix: string }>("POST", "/ingest-keys", { appId });
        const byPrefix = await cli("ingest-keys", "revoke", "--app", appId, "--prefix", prefix);
        assert.equal(byPrefix.code, 0, byPrefix.stderr);
        const again = await cli("ingest-keys", "revoke", "--app", appId, "--prefix", prefix);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /NotFound: no live ingest key/);
        const { secretId } = await a.admin<{ secretId: string }>("POST", "/keys", {});
        assert.equal((await cli("keys", "revoke", "--secret-id", secretId)).stdout, `revoked ${secretId}\n`);
        assert.match((await cli("keys", "list")).stdout, new RegExp(`^${secretId}\\tcreated .*, REVOKED `, "m"));
      });
    }
  });
}
