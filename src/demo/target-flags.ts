// The server a command plays against, from its flags: --url (+ --admin-url, keys, admin
// token) for a running one, else an embedded one.
import type { Flags } from "../cli/args.ts";
import { UsageError } from "../cli/args.ts";
import { embeddedTarget, remoteTarget, type Target } from "./target.ts";

const port = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--${name} must be a port number`);
  return n;
};

export async function targetFromFlags(flags: Flags, env: Record<string, string | undefined>): Promise<Target> {
  if (typeof flags.url === "string") {
    const adminUrl = flags["admin-url"];
    const secretId = typeof flags["secret-id"] === "string" ? flags["secret-id"] : env.ROOMLEDGER_SECRET_ID;
    const secretKey = typeof flags["secret-key"] === "string" ? flags["secret-key"] : env.ROOMLEDGER_SECRET_KEY;
    const adminToken = env.ROOMLEDGER_ADMIN_TOKEN;
    if (typeof adminUrl !== "string" || !secretId || !secretKey || !adminToken) {
      throw new UsageError(
        "--url needs --admin-url, --secret-id and --secret-key (or ROOMLEDGER_SECRET_ID/_KEY), and ROOMLEDGER_ADMIN_TOKEN",
      );
    }
    return remoteTarget({ url: flags.url, adminUrl, secretId, secretKey, adminToken });
  }
  return embeddedTarget({
    dataDir: typeof flags.data === "string" ? flags.data : undefined,
    port: port(flags.port, "port"),
    adminPort: port(flags["admin-port"], "admin-port"),
    env,
  });
}
