// Where the demo plays: an embedded server it starts itself (development mode, free ports,
// a temporary data directory unless one is given), or a running server given its URLs and
// credentials. Either way the demo then talks to it over HTTP only.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adminCall, AdminError } from "../cli/admin-client.ts";
import { loadConfig } from "../config.ts";

export interface Target {
  url: string;
  adminUrl: string;
  /** host:port, as the Tencent SDKs take it. */
  endpoint: string;
  secretId: string;
  secretKey: string;
  huaweiProjectId: string;
  adminToken: string;
  /** The embedded server's data directory (null for a running server). */
  dataDir: string | null;
  admin<T = any>(method: "GET" | "POST", path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  port?: number;
  adminPort?: number;
  env: Record<string, string | undefined>;
}

function target(
  url: string,
  adminUrl: string,
  c: { secretId: string; secretKey: string; huaweiProjectId: string; adminToken: string },
  dataDir: string | null,
  close: () => Promise<void>,
): Target {
  return {
    url,
    adminUrl,
    endpoint: new URL(url).host,
    ...c,
    dataDir,
    admin: (method, path, body) => adminCall({ adminUrl, token: c.adminToken }, method, path, body),
    close,
  };
}

export async function embeddedTarget(o: EmbeddedOptions): Promise<Target> {
  const temporary = o.dataDir === undefined;
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), "roomledger-demo-"));
  // Development mode: the demo compresses a 45-minute class with the movable clock. The
  // pinned-credential variables are honoured, as `serve` does.
  const config = loadConfig({
    flags: { dev: true, data: dataDir, port: String(o.port ?? 0), "admin-port": String(o.adminPort ?? 0), "log-level": "warn" },
    env: { ...o.env, DATABASE_URL: undefined, ROOMLEDGER_DATA: undefined },
  });
  const { startServer } = await import("../server.ts");
  const server = await startServer(config);
  const c = server.credentials;
  return target(server.url, server.adminUrl, c, dataDir, async () => {
    await server.close();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  });
}

export interface RemoteOptions {
  url: string;
  adminUrl: string;
  secretId: string;
  secretKey: string;
  adminToken: string;
}

/** A running server; it must run with --dev (the demo moves its clock). */
export async function remoteTarget(o: RemoteOptions): Promise<Target> {
  const t = target(o.url.replace(/\/$/, ""), o.adminUrl.replace(/\/$/, ""), { ...o, huaweiProjectId: "" }, null, async () => {});
  const clock = await t.admin<{ advanceable: boolean }>("GET", "/clock");
  if (!clock.advanceable)
    throw new AdminError(
      "the demo needs a server in development mode (roomledger serve --dev): it compresses a 45-minute class with the clock",
    );
  // The Huawei project id is the account's: the first account owns the SecretId by default.
  const { accounts } = await t.admin<{ accounts: { huaweiProjectId: string }[] }>("GET", "/accounts");
  t.huaweiProjectId = accounts[0]?.huaweiProjectId ?? "";
  return t;
}
