// The clients over HTTPS against `roomledger serve --tls` (a certificate signed by the CA
// roomledger keeps in its data directory), each trusting that CA the way the README says:
// - tccli (which only speaks HTTPS), through certifi's bundle: one seed query per product and
//   its documented errors, as a shell user types them;
// - the Tencent Python SDK with HttpProfile(certification=ca.pem), TC3 over POST (the other
//   signing methods are tencent-python.test.ts's, over HTTP);
// - the Node SDK with NODE_EXTRA_CA_CERTS (read at process start: a child process);
// - Huawei's cloudrtc Python client with HttpConfig.ssl_ca_cert.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import tls from "node:tls";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, startServer, type TestServer } from "../support/server.ts";
import { runPython, runScript, skipUnlessAvailable, unavailable } from "./python.ts";
import { checkCases, Tally, type Case, type Product } from "./tencent-support.ts";
import { GME, gmeSeed, LCIC, lcicSeed, TIW, tiwSeed, TRRO, trroSeed } from "./seeds.ts";
import { certifiTrusting } from "./tls-trust.ts";

const skip = skipUnlessAvailable("tccli");

describe("over HTTPS with roomledger's CA: tccli, the Python SDK, the Node SDK", { skip }, () => {
  let server: TestServer;
  let caPath: string;
  let certifiDir: string;
  let home: string;
  const cli = new Tally();
  const sdk = new Tally();
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0", "--tls"] });
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    caPath = join(server.dataDir, "tls", "ca.pem");
    // This process sets the scene through the Node SDK and fetch (ingest): it trusts the CA
    // too, as NODE_EXTRA_CA_CERTS would at start-up.
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), readFileSync(caPath, "utf8")]);
    certifiDir = certifiTrusting(caPath);
    // tccli reads its profiles from ~/.tccli: an empty home keeps the user's out.
    home = mkdtempSync(join(tmpdir(), "roomledger-tccli-home-"));
  });
  after(async () => {
    console.log(`# ${cli.line("tccli over HTTPS")}`);
    console.log(`# ${sdk.line("tencent-sdk (Python) over HTTPS")}`);
    await server?.stop();
    for (const d of [certifiDir, home]) if (d) rmSync(d, { recursive: true, force: true });
  });

  /** `tccli <product> <Action> --Param value ... --endpoint host:port`, as a user runs it. */
  async function tccli(p: Product, c: Case, endpoint: string): Promise<void> {
    const args = ["-m", "tccli.main", p.product, p.action];
    for (const [k, v] of Object.entries(c.params)) args.push(`--${k}`, String(v));
    args.push("--endpoint", endpoint, "--language", "en-US");
    const r = await runPython("tccli", args, "", {
      PYTHONPATH: certifiDir,
      HOME: home,
      TENCENTCLOUD_SECRET_ID: server.secretId,
      TENCENTCLOUD_SECRET_KEY: server.secretKey,
      TENCENTCLOUD_REGION: "ap-guangzhou",
    });
    const where = `tccli ${p.product} ${p.action} ${c.name}`;
    // tccli exits 0 on an API error too: what it printed tells.
    assert.equal(r.code, 0, `${where}: ${r.stderr}`);
    cli.actions.add(`${p.product}.${p.action}`);
    cli.calls++;
    if (c.expect === "ok") {
      assert.doesNotMatch(r.stderr, /TencentCloudSDKException/, where);
      const { RequestId, ...body } = JSON.parse(r.stdout) as Record<string, unknown>;
      assert.match(String(RequestId), /^[0-9a-f-]{36}$/, where);
      assert.deepEqual(body, c.node.ok, where);
    } else {
      const m = /\[TencentCloudSDKException\] code:(\S+) message:(.*) requestId:(\S+)/.exec(r.stderr);
      assert.ok(m, `${where}: expected ${c.expect}; stdout ${r.stdout} stderr ${r.stderr}`);
      assert.deepEqual([m[1], m[2]], [c.expect, c.node.message], where);
      assert.match(m[3]!, /^[0-9a-f-]{36}$/, where);
      cli.errors.add(`${p.action}:${c.expect}:${c.name}`);
    }
  }

  async function both(p: Product, cases: Case[]): Promise<void> {
    // Through a command line, values are text: the wrong-type cases are the SDK's to send;
    // and tccli refuses to send a call without a required parameter (exit 252, usage).
    for (const c of cases.filter((c) => !c.name.includes("wrong type") && !c.name.startsWith("no "))) await tccli(p, c, server.endpoint);
    // The signing methods are the HTTP suite's: here TLS and the trust of the CA.
    await checkCases(server, p, cases, sdk, {
      protocol: "https",
      certification: caPath,
      signMethods: ["TC3-HMAC-SHA256"],
      reqMethods: ["POST"],
    });
  }

  test("LCIC DescribeRoomStatistics", async () => {
    const lcic = await lcicSeed(server);
    await both(LCIC, lcic.before);
    await both(LCIC, await lcic.after());
  });

  test("TIW DescribeWhiteboardPush, dialled as localhost (a name of the certificate)", async () => {
    const cases = await tiwSeed(server);
    await tccli(TIW, cases[0]!, `localhost:${server.port}`);
    await both(TIW, cases);
  });

  test("TRRO DescribeDeviceSessionList", async () => {
    await both(TRRO, await trroSeed(server));
  });

  test("GME DescribeRecordInfo", async () => {
    await both(GME, await gmeSeed(server));
  });

  test("without the CA, tccli refuses the certificate", async () => {
    const r = await runPython("tccli", ["-m", "tccli.main", "trro", "DescribeProjectList", "--endpoint", server.endpoint], "", {
      HOME: home,
      TENCENTCLOUD_SECRET_ID: server.secretId,
      TENCENTCLOUD_SECRET_KEY: server.secretKey,
      TENCENTCLOUD_REGION: "ap-guangzhou",
    });
    assert.match(r.stderr, /CERTIFICATE_VERIFY_FAILED/);
  });

  test("the Node SDK with NODE_EXTRA_CA_CERTS", async () => {
    const script = `
      import * as tencentcloud from "tencentcloud-sdk-nodejs";
      const client = new tencentcloud.trro.v20220325.Client({
        credential: { secretId: process.env.SID, secretKey: process.env.SKEY },
        profile: { httpProfile: { endpoint: process.env.ENDPOINT, protocol: "https://" } },
      });
      const res = await client.DescribeProjectList({});
      process.stdout.write(JSON.stringify(res));
    `;
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
          cwd: ROOT,
          env: { ...process.env, SID: server.secretId, SKEY: server.secretKey, ENDPOINT: server.endpoint, ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.once("close", (code) => resolve({ code, out }));
      });
    for (const k of ["http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"])
      assert.equal(process.env[k] ?? "", "", `${k} would route the child elsewhere`);
    const trusted = await run({ NODE_EXTRA_CA_CERTS: caPath });
    assert.equal(trusted.code, 0, trusted.out);
    assert.equal(typeof JSON.parse(trusted.out).Total, "number");
    const untrusted = await run({ NODE_EXTRA_CA_CERTS: "" });
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.out, /self-signed certificate in certificate chain|unable to verify|SELF_SIGNED_CERT_IN_CHAIN/i);
  });

  test("Huawei's cloudrtc Python client with ssl_ca_cert", { skip: unavailable("huawei-cloudrtc") ?? false }, async () => {
    const appId = await server.createApp(["rtc"]);
    const key = await server.ingestKey(appId);
    const now = (await server.admin<{ now: number }>("GET", "/clock")).now - 60_000;
    const r = await fetch(`${server.url}/ingest/v1/rtc/qos`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
      body: JSON.stringify({ ctime: now, room_id: "r", uid: "u", metrics: { vbit: 800 } }),
    });
    assert.equal(r.status, 200, await r.text());
    const iso = (t: number) => `${new Date(t).toISOString().slice(0, 19)}Z`;
    const params = { app_id: appId, room_id: "r", mid: "vbit", start_time: iso(now - 60_000), end_time: iso(now + 1000) };
    const job = { endpoint: server.url, ak: server.secretId, sk: server.secretKey, projectId: server.huaweiProjectId, calls: [{ params }] };
    type Result = { ok?: { body: { data: { data: unknown[] }[] } }; error?: unknown };
    const [trusted] = await runScript<Result[]>("huawei-cloudrtc", "huawei_cloudrtc.py", { ...job, caFile: caPath });
    assert.ok(trusted?.ok, JSON.stringify(trusted));
    assert.equal(trusted.ok.body.data[0]?.data.length, 1, JSON.stringify(trusted));
  });
});
