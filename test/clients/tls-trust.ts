// Trusting roomledger's CA from the Python clients, without touching the machine.
//
// tccli has no option for a CA file: the Python SDK under it verifies against
// certifi.where() (Debian's python3-certifi answers the system bundle), so a user appends
// roomledger's ca.pem to that bundle (README). A test must not edit the machine's bundle: it
// puts a stand-in `certifi` module first on PYTHONPATH whose where() names a copy of the
// system bundle plus the CA. tccli and the SDK run unchanged; only the bundle's path differs.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** A directory to put first on PYTHONPATH; its certifi trusts the system's CAs and `caPath`. */
export function certifiTrusting(caPath: string): string {
  const dir = mkdtempSync(join(tmpdir(), "roomledger-certifi-"));
  const bundle = join(dir, "bundle.pem");
  const system = existsSync(SYSTEM_BUNDLE) ? readFileSync(SYSTEM_BUNDLE, "utf8") : "";
  writeFileSync(bundle, `${system}\n${readFileSync(caPath, "utf8")}`);
  mkdirSync(join(dir, "certifi"));
  writeFileSync(
    join(dir, "certifi", "__init__.py"),
    `def where():\n    return ${JSON.stringify(bundle)}\n\n\ndef contents():\n    with open(where()) as f:\n        return f.read()\n`,
  );
  return dir;
}
