// How admin commands reach a running server: its admin API, with the admin token. Only one
// process may open a PGlite data directory, so the CLI never opens the database itself.
import { resolve } from "node:path";
import { readCredentials } from "../tenancy/bootstrap.ts";
import type { Flags } from "./args.ts";
import { UsageError } from "./args.ts";

export class AdminError extends Error {
  /** The admin API's HTTP status, when it answered. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

export interface AdminTarget {
  adminUrl: string;
  token: string;
}

export function adminTarget(flags: Flags, env: Record<string, string | undefined>): AdminTarget {
  const dataDir = resolve(typeof flags.data === "string" ? flags.data : (env.ROOMLEDGER_DATA ?? ".roomledger"));
  const saved = readCredentials(dataDir);
  const adminUrl = (typeof flags["admin-url"] === "string" ? flags["admin-url"] : env.ROOMLEDGER_ADMIN_URL) ?? saved?.adminUrl;
  const token = env.ROOMLEDGER_ADMIN_TOKEN ?? saved?.adminToken;
  if (!adminUrl || !token) {
    throw new UsageError(
      `no running server found: start one with \`roomledger serve --data ${dataDir}\`, or give --admin-url and ROOMLEDGER_ADMIN_TOKEN`,
    );
  }
  return { adminUrl, token };
}

export async function adminCall(target: AdminTarget, method: "GET" | "POST", path: string, body?: unknown): Promise<any> {
  let res: Response;
  try {
    res = await fetch(`${target.adminUrl}/admin/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new AdminError(`cannot reach the admin API at ${target.adminUrl}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AdminError(`the admin API answered ${res.status} with a body that is not JSON`, res.status);
  }
  if (!res.ok) throw new AdminError(`${json?.error?.code ?? res.status}: ${json?.error?.message ?? json?.message ?? text}`, res.status);
  return json;
}
