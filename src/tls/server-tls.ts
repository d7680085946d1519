// What `serve --tls` listens with: the operator's certificate and key (--tls-cert,
// --tls-key), or a server certificate issued at each start by roomledger's own CA.
//
// The CA is created once and kept in the data directory (tls/ca.pem, which clients are told
// to trust, and tls/ca-key.pem, owner-only), so that trusting it once lasts across restarts.
// Without a data directory (in-memory mode) the CA lives as long as the process: the caller
// prints caPem, since there is no file to point clients at.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCa, issueServerCertificate, type KeyPairPem } from "./certificates.ts";

export interface TlsOptions {
  /** Data directory where the CA is kept; null = in memory (print caPem). */
  dataDir: string | null;
  /** Operator-supplied PEM files; both or neither. */
  certFile: string | null;
  keyFile: string | null;
  /** The public listener's host, added to the certificate's names. */
  host: string;
}

export interface ServerTls {
  key: string;
  cert: string;
  /** roomledger's CA certificate (PEM), or null with operator-supplied files. */
  caPem: string | null;
  /** Where the CA certificate is kept, or null (operator's files, or in memory). */
  caPath: string | null;
  /** True when this start created the CA. */
  caCreated: boolean;
}

export const CA_FILE = "ca.pem";
const CA_KEY_FILE = "ca-key.pem";

/** The names every local client may dial, and the listener's host when it is a name of its own. */
export function certificateNames(host: string): string[] {
  const names = ["localhost", "127.0.0.1", "::1"];
  if (host !== "" && host !== "0.0.0.0" && host !== "::" && !names.includes(host)) names.push(host);
  return names;
}

export function serverTls(o: TlsOptions): ServerTls {
  if ((o.certFile === null) !== (o.keyFile === null)) throw new Error("--tls-cert and --tls-key go together");
  if (o.certFile !== null && o.keyFile !== null) {
    return { cert: readFileSync(o.certFile, "utf8"), key: readFileSync(o.keyFile, "utf8"), caPem: null, caPath: null, caCreated: false };
  }
  const { ca, caPath, caCreated } = o.dataDir === null ? { ca: createCa(), caPath: null, caCreated: true } : keptCa(o.dataDir);
  const leaf = issueServerCertificate(ca, certificateNames(o.host));
  return { cert: leaf.certPem, key: leaf.keyPem, caPem: ca.certPem, caPath, caCreated };
}

function keptCa(dataDir: string): { ca: KeyPairPem; caPath: string; caCreated: boolean } {
  const dir = join(dataDir, "tls");
  const caPath = join(dir, CA_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  if (existsSync(caPath) && existsSync(keyPath)) {
    return { ca: { certPem: readFileSync(caPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") }, caPath, caCreated: false };
  }
  const ca = createCa();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // The key first and owner-only: whoever holds it can mint certificates the clients trust.
  writeFileSync(keyPath, ca.keyPem, { mode: 0o600 });
  chmodSync(keyPath, 0o600);
  writeFileSync(caPath, ca.certPem, { mode: 0o644 });
  return { ca, caPath, caCreated: true };
}
