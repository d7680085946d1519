// `serve --tls`: the CA roomledger creates once per data directory (or per process without
// one), the server certificate it issues at each start, operator-supplied files, and the
// listener over real TLS connections.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import https from "node:https";
import fc from "fast-check";
import { certificateNames, serverTls } from "../../src/tls/server-tls.ts";
import { createCa, issueServerCertificate, serialNumber } from "../../src/tls/certificates.ts";
import { loadConfig } from "../../src/config.ts";
import { startServer, type TestServer } from "../support/server.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "roomledger-tls-"));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The leaf is a server certificate for the loopback names, issued by (and only by) the CA. */
function assertIssued(certPem: string, caPem: string, names: string[]): X509Certificate {
  const leaf = new X509Certificate(certPem);
  const ca = new X509Certificate(caPem);
  assert.ok(ca.ca, "the CA is a CA");
  assert.ok(!leaf.ca, "the leaf is not");
  assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), "signed by the CA");
  for (const n of names) assert.ok(n.includes(":") || /^\d/.test(n) ? leaf.checkIP(n) : leaf.checkHost(n), `valid for ${n}`);
  assert.ok(Date.parse(leaf.validFrom) <= Date.now() && Date.parse(leaf.validTo) > Date.now() + 300 * 86_400_000);
  assert.ok(leaf.keyUsage?.includes("1.3.6.1.5.5.7.3.1"), "serverAuth");
  return leaf;
}

describe("TLS certificates", () => {
  test("without a data directory: a CA for this process only, its PEM to print", () => {
    const t = serverTls({ dataDir: null, certFile: null, keyFile: null, host: "127.0.0.1" });
    assert.equal(t.caPath, null);
    assert.ok(t.caPem?.startsWith("-----BEGIN CERTIFICATE-----"));
    assertIssued(t.cert, t.caPem!, ["localhost", "127.0.0.1", "::1"]);
    assert.ok(!new X509Certificate(t.cert).checkHost("example.com"));
    // Another process, another CA.
    const other = serverTls({ dataDir: null, certFile: null, keyFile: null, host: "127.0.0.1" });
    assert.ok(!new X509Certificate(other.cert).checkIssued(new X509Certificate(t.caPem!)));
  });

  test("in a data directory: the CA is created once, its key owner-only; each start issues a new leaf", () => {
    const dataDir = tempDir();
    const first = serverTls({ dataDir, certFile: null, keyFile: null, host: "rl.example.test" });
    assert.equal(first.caPath, join(dataDir, "tls", "ca.pem"));
    assert.ok(first.caCreated);
    assert.equal(statSync(join(dataDir, "tls", "ca-key.pem")).mode & 0o777, 0o600);
    assert.equal(readFileSync(first.caPath!, "utf8"), first.caPem);
    const second = serverTls({ dataDir, certFile: null, keyFile: null, host: "rl.example.test" });
    assert.equal(second.caCreated, false);
    assert.equal(second.caPem, first.caPem);
    assert.notEqual(second.cert, first.cert);
    assertIssued(second.cert, first.caPem!, ["localhost", "127.0.0.1", "::1", "rl.example.test"]);
  });

  test("operator files are used as they are; one without the other is refused", () => {
    const dir = tempDir();
    const ca = createCa();
    const leaf = issueServerCertificate(ca, ["ledger.internal"]);
    writeFileSync(join(dir, "cert.pem"), leaf.certPem);
    writeFileSync(join(dir, "key.pem"), leaf.keyPem);
    const t = serverTls({ dataDir: dir, certFile: join(dir, "cert.pem"), keyFile: join(dir, "key.pem"), host: "127.0.0.1" });
    assert.deepEqual([t.cert, t.key, t.caPem, t.caPath], [leaf.certPem, leaf.keyPem, null, null]);
    assert.throws(() => serverTls({ dataDir: dir, certFile: join(dir, "cert.pem"), keyFile: null, host: "127.0.0.1" }), /go together/);
    assert.throws(() => loadConfig({ flags: { "tls-key": "k.pem" }, env: {} }), /go together/);
    assert.equal(loadConfig({ flags: {}, env: {} }).tls, null);
    assert.deepEqual(loadConfig({ flags: { tls: true }, env: {} }).tls, { certFile: null, keyFile: null });
    assert.equal(loadConfig({ flags: { "tls-cert": "/c.pem", "tls-key": "/k.pem" }, env: {} }).tls?.certFile, "/c.pem");
  });

  test("serial numbers are positive minimal DER INTEGERs (OpenSSL refused a serial starting 00 00)", () => {
    for (let i = 0; i < 2000; i++) {
      const hex = serialNumber();
      assert.match(hex, /^[0-9a-f]{32}$/);
      const first = Number.parseInt(hex.slice(0, 2), 16);
      assert.ok(first >= 0x40 && first < 0x80, hex);
    }
    // And a certificate made with one parses (new X509Certificate refused the bad padding).
    assert.match(new X509Certificate(createCa().certPem).serialNumber, /^[4-7][0-9A-F]{31}$/);
  });

  test("property: the names always hold the loopback ones, once each, and the host unless a wildcard", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom("", "0.0.0.0", "::", "localhost", "127.0.0.1", "::1"), fc.domain(), fc.ipV4(), fc.ipV6()),
        (host) => {
          const names = certificateNames(host);
          assert.deepEqual(names.slice(0, 3), ["localhost", "127.0.0.1", "::1"]);
          assert.equal(new Set(names).size, names.length);
          assert.equal(names.includes(host), !["", "0.0.0.0", "::"].includes(host));
        },
      ),
    );
  });
});

/** The certificate the listener presents, verified against `ca` for `servername`/`host`. */
function presented(server: TestServer, ca: string, host = "127.0.0.1"): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host, port: server.port, ca, servername: host.includes(".") && !/^\d/.test(host) ? host : undefined },
      () => {
        const raw = socket.getPeerX509Certificate();
        socket.end();
        if (!raw) reject(new Error("no certificate"));
        else resolve(raw);
      },
    );
    socket.once("error", reject);
  });
}

function get(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .once("error", reject);
  });
}

describe("serve --tls", () => {
  test("HTTPS with the kept CA, the same CA after a restart; large GET queries still fit", async () => {
    const dataDir = tempDir();
    const first = await startServer({ dataDir, args: ["--tls"] });
    let caPem: string;
    try {
      assert.match(first.url, /^https:\/\//);
      assert.match(first.output(), /TLS: certificates signed by roomledger's CA; clients trust .*\/tls\/ca\.pem/);
      caPem = readFileSync(join(dataDir, "tls", "ca.pem"), "utf8");
      assertIssued((await presented(first, caPem)).toString(), caPem, ["127.0.0.1"]);
      assert.equal((await get(`${first.url}/healthz`, caPem)).status, 200);
      // Tencent GETs may carry 32 KB of query: the TLS listener keeps the raised header limit.
      const big = await get(`${first.url}/?Action=DescribeRoom&x=${"a".repeat(20_000)}`, caPem);
      assert.equal(big.status, 200);
      assert.equal(JSON.parse(big.body).Response.Error.Code, "MissingParameter");
      // Plain HTTP to the TLS port is no answer at all.
      await assert.rejects(fetch(`${first.url.replace("https:", "http:")}/healthz`));
    } finally {
      await first.stop();
    }
    const second = await startServer({ dataDir, args: ["--tls"] });
    try {
      assert.equal(readFileSync(join(dataDir, "tls", "ca.pem"), "utf8"), caPem);
      assertIssued((await presented(second, caPem)).toString(), caPem, ["localhost", "127.0.0.1"]);
    } finally {
      await second.stop();
    }
  });

  test("--tls-cert and --tls-key: the operator's certificate is the one presented", async () => {
    const dir = tempDir();
    const ca = createCa();
    const leaf = issueServerCertificate(ca, ["127.0.0.1"]);
    writeFileSync(join(dir, "cert.pem"), leaf.certPem);
    writeFileSync(join(dir, "key.pem"), leaf.keyPem);
    const server = await startServer({ args: ["--tls-cert", join(dir, "cert.pem"), "--tls-key", join(dir, "key.pem")] });
    try {
      assert.match(server.url, /^https:\/\//);
      const cert = await presented(server, ca.certPem);
      assert.equal(cert.fingerprint256, new X509Certificate(leaf.certPem).fingerprint256);
      assert.doesNotMatch(server.output(), /TLS: certificates signed/);
    } finally {
      await server.stop();
    }
  });
});
