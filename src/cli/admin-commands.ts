// The admin commands: each is one admin API call built from its flags, printed as text or,
// with --json, as the API answered it. They reach a running server (only one process may
// open the embedded database), found through its data directory.
import { AdminError, adminCall, adminTarget } from "./admin-client.ts";
import { UsageError, type CommandSpec, type Flags } from "./args.ts";
import { appProducts, loadedProducts, loadProducts } from "./products.ts";
import { mintBrowserToken } from "../products/rtc/browser/browser-tokens.ts";

type Options = CommandSpec["options"];

interface AdminRequest {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
}

export interface AdminCommand {
  name: string;
  summary: CommandSpec["summary"];
  options: Options;
  /** The admin API call for these flags; throws UsageError when they are wrong. */
  call(flags: Flags): AdminRequest | Promise<AdminRequest>;
  /** The answer as a person reads it. */
  show(answer: any): string;
  /** What a 404 from the admin API means for this command (a route the server does not mount). */
  notFound?: string;
}

const common: Options = {
  json: { type: "boolean", help: "print the result as JSON" },
  data: { type: "string", help: "data directory of the server (default ./.roomledger)" },
  "admin-url": { type: "string", help: "admin API URL (default: from the data directory)" },
};
const account = { type: "string" as const, help: "account id (default: the first account)" };
const choice = (names: string[]) => `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;

/** A flag given as text, else undefined (so JSON bodies leave it out). */
export const text = (flags: Flags, name: string): string | undefined =>
  typeof flags[name] === "string" ? (flags[name] as string) : undefined;
export function required(flags: Flags, ...names: string[]): void {
  const missing = names.filter((n) => !text(flags, n));
  if (missing.length > 0)
    throw new UsageError(`${missing.map((n) => `--${n}`).join(" and ")} ${missing.length > 1 ? "are" : "is"} required`);
}

/** A listed credential's dates. */
interface Listed {
  createdAt: number;
  revokedAt: number | null;
}
const when = (c: Listed): string =>
  `created ${new Date(c.createdAt).toISOString()}${c.revokedAt === null ? "" : `, REVOKED ${new Date(c.revokedAt).toISOString()}`}`;
const listLines = <T>(items: T[], line: (item: T) => string): string => (items.length === 0 ? "(none)" : items.map(line).join("\n"));

export function adminCommand(c: AdminCommand): CommandSpec {
  return {
    name: c.name,
    summary: c.summary,
    options: { ...c.options, ...common },
    async run(flags, env) {
      const { method, path, body } = await c.call(flags);
      const answer = await adminCall(adminTarget(flags, env), method, path, body).catch((err: unknown) => {
        if (c.notFound && err instanceof AdminError && err.status === 404 && /not found/i.test(err.message) && /Route /.test(err.message)) {
          throw new AdminError(c.notFound, 404);
        }
        throw err;
      });
      process.stdout.write(`${flags.json ? JSON.stringify(answer) : c.show(answer)}\n`);
      return 0;
    },
  };
}

export const adminCommands: CommandSpec[] = [
  adminCommand({
    name: "keys create",
    summary: "create a SecretId/SecretKey pair (Huawei AK/SK are the same pair)",
    options: { account },
    call: (flags) => ({ method: "POST", path: "/keys", body: { accountId: text(flags, "account") || undefined } }),
    show: (r) => `SecretId:  ${r.secretId}\nSecretKey: ${r.secretKey}`,
  }),
  adminCommand({
    name: "accounts create",
    summary: "create another account (with its first key pair)",
    options: { name: { type: "string", help: "account name" } },
    call(flags) {
      required(flags, "name");
      return { method: "POST", path: "/accounts", body: { name: text(flags, "name") } };
    },
    show: (r) => `AccountId: ${r.accountId}\nSecretId:  ${r.secretId}\nSecretKey: ${r.secretKey}\nHuawei project id: ${r.huaweiProjectId}`,
  }),
  adminCommand({
    name: "apps create",
    summary: () => `create an app for one or more products (${appProducts(loadedProducts()).join(", ")}; e.g. lcic,tiw)`,
    options: { product: { type: "string", help: "product(s), comma-separated" }, name: { type: "string", help: "app name" }, account },
    async call(flags) {
      const known = appProducts(await loadProducts());
      const products = String(flags.product ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
      if (products.length === 0) throw new UsageError(`--product is required (${choice(known)})`);
      const bad = products.find((p) => !known.includes(p));
      if (bad) throw new UsageError(`unknown product: ${bad} (${choice(known)})`);
      return { method: "POST", path: "/apps", body: { products, name: text(flags, "name"), accountId: text(flags, "account") } };
    },
    show: (r) => `AppId: ${r.appId} (${r.products.join(", ")})`,
  }),
  adminCommand({
    name: "apps list",
    summary: "list the apps of an account",
    options: { account: { type: "string", help: "account id" } },
    call(flags) {
      const id = text(flags, "account");
      return { method: "GET", path: `/apps${id ? `?accountId=${encodeURIComponent(id)}` : ""}` };
    },
    show: (r) =>
      r.apps.map((a: { appId: string; products: string[]; name: string }) => `${a.appId}\t${a.products.join(",")}\t${a.name}`).join("\n"),
  }),
  adminCommand({
    name: "ingest-keys create",
    summary: "create an ingest key for an app (shown once; stored hashed)",
    options: { app: { type: "string", help: "app id" } },
    call(flags) {
      required(flags, "app");
      return { method: "POST", path: "/ingest-keys", body: { appId: text(flags, "app") } };
    },
    show: (r) => `IngestKey: ${r.key}`,
  }),
  adminCommand({
    name: "ingest-keys list",
    summary: "list an app's ingest keys by prefix (revoked ones marked)",
    options: { app: { type: "string", help: "app id" } },
    call(flags) {
      required(flags, "app");
      return { method: "GET", path: `/ingest-keys?appId=${encodeURIComponent(text(flags, "app")!)}` };
    },
    show: (r) => listLines(r.keys, (k: Listed & { prefix: string }) => `${k.prefix}…\t${when(k)}`),
  }),
  adminCommand({
    name: "ingest-keys revoke",
    summary: "revoke an app's ingest key, by --key or by the --prefix shown at creation (every instance refuses it within a second)",
    options: {
      app: { type: "string", help: "app id" },
      key: { type: "string", help: "the ingest key" },
      prefix: { type: "string", help: "its prefix (rlik_ and 7 more characters)" },
    },
    call(flags) {
      required(flags, "app");
      if (!text(flags, "key") === !text(flags, "prefix")) throw new UsageError("give either --key or --prefix");
      return {
        method: "POST",
        path: "/ingest-keys/revoke",
        body: { appId: text(flags, "app"), key: text(flags, "key"), prefix: text(flags, "prefix") },
      };
    },
    show: (r) => `revoked an ingest key of app ${r.appId}`,
  }),
  adminCommand({
    name: "keys list",
    summary: "list an account's SecretIds (revoked ones marked)",
    options: { account },
    call(flags) {
      const id = text(flags, "account");
      return { method: "GET", path: `/keys${id ? `?accountId=${encodeURIComponent(id)}` : ""}` };
    },
    show: (r) => listLines(r.keys, (k: Listed & { secretId: string }) => `${k.secretId}\t${when(k)}`),
  }),
  adminCommand({
    name: "keys revoke",
    summary: "revoke a key pair: Tencent calls get AuthFailure.SecretIdNotFound, Huawei AK/SK calls APIGW.0301",
    options: { "secret-id": { type: "string", help: "the SecretId (Huawei AK)" } },
    call(flags) {
      required(flags, "secret-id");
      return { method: "POST", path: "/keys/revoke", body: { secretId: text(flags, "secret-id") } };
    },
    show: (r) => `revoked ${r.secretId}`,
  }),
  adminCommand({
    name: "admin-tokens create",
    summary: "issue another admin token (shown once; stored hashed)",
    options: { label: { type: "string", help: "a note to recognise the token by" } },
    call: (flags) => ({ method: "POST", path: "/admin-tokens", body: { label: text(flags, "label") } }),
    show: (r) => `AdminToken: ${r.token}`,
  }),
  adminCommand({
    name: "admin-tokens revoke",
    summary: "revoke an admin token (not the last live one)",
    options: { token: { type: "string", help: "the admin token to revoke" } },
    call(flags) {
      required(flags, "token");
      return { method: "POST", path: "/admin-tokens/revoke", body: { token: text(flags, "token") } };
    },
    show: () => "revoked the admin token",
  }),
  adminCommand({
    name: "worker-credentials create",
    summary: "create a credential for an app's task workers of some kinds, e.g. --kind tiw-push (shown once; stored hashed)",
    options: {
      app: { type: "string", help: "app id" },
      kind: { type: "string", help: "task kind(s), comma-separated (gme-record, lcic-record, tiw-push, ...)" },
      label: { type: "string", help: "a note to recognise it by" },
    },
    call(flags) {
      required(flags, "app", "kind");
      const kinds = text(flags, "kind")!
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean);
      return { method: "POST", path: "/worker-credentials", body: { appId: text(flags, "app"), kinds, label: text(flags, "label") } };
    },
    show: (r) => `WorkerCredential: ${r.credential}\nId:    ${r.credentialId}\nKinds: ${r.kinds.join(", ")}`,
  }),
  adminCommand({
    name: "worker-credentials list",
    summary: "list an app's worker credentials (revoked ones marked)",
    options: { app: { type: "string", help: "app id" } },
    call(flags) {
      required(flags, "app");
      return { method: "GET", path: `/worker-credentials?appId=${encodeURIComponent(text(flags, "app")!)}` };
    },
    show: (r) =>
      listLines(r.credentials, (c: Listed & { credentialId: string; kinds: string[]; label: string; prefix: string }) =>
        [c.credentialId, `${c.prefix}…`, c.kinds.join(","), c.label, when(c)].join("\t"),
      ),
  }),
  adminCommand({
    name: "worker-credentials revoke",
    summary: "revoke a worker credential by its id (its workers are refused within a second; their tasks' leases then run out)",
    options: { app: { type: "string", help: "app id" }, id: { type: "string", help: "credential id (wk-...)" } },
    call(flags) {
      required(flags, "app", "id");
      return { method: "POST", path: "/worker-credentials/revoke", body: { appId: text(flags, "app"), credentialId: text(flags, "id") } };
    },
    show: (r) => `revoked ${r.credentialId}`,
  }),
  adminCommand({
    name: "tokens revoke",
    summary: "revoke a Huawei X-Auth-Token (answered APIGW.0301 from then on)",
    options: { token: { type: "string", help: "the X-Auth-Token" } },
    call(flags) {
      required(flags, "token");
      return { method: "POST", path: "/rtc/tokens/revoke", body: { token: text(flags, "token") } };
    },
    show: () => "revoked the X-Auth-Token",
  }),
  adminCommand({
    name: "trro revoke-device-token",
    summary: "revoke a TRRO device's token: its reports are refused until ModifyDevice sets a new DeviceToken",
    options: { project: { type: "string", help: "ProjectId" }, device: { type: "string", help: "DeviceId" } },
    call(flags) {
      required(flags, "project", "device");
      const path = `/trro/projects/${encodeURIComponent(text(flags, "project")!)}/devices/${encodeURIComponent(text(flags, "device")!)}/revoke-token`;
      return { method: "POST", path };
    },
    show: (r) => `revoked the token of device ${r.deviceId} (project ${r.projectId})`,
  }),
  adminCommand({
    name: "callbacks set",
    summary: 'set an app\'s callback URL and/or key for a product ("" removes)',
    options: {
      app: { type: "string", help: "app id" },
      product: { type: "string", help: "lcic or tiw" },
      url: { type: "string", help: "http(s) URL receiving the callbacks" },
      key: { type: "string", help: "callback key (Sign = md5(key + ExpireTime))" },
    },
    call(flags) {
      required(flags, "app", "product");
      const body = { appId: text(flags, "app"), product: text(flags, "product"), url: text(flags, "url"), key: text(flags, "key") };
      return { method: "POST", path: "/callbacks", body };
    },
    show: (r) => `callback for ${r.appId}/${r.product}: ${r.url || "(none)"}`,
  }),
  adminCommand({
    name: "clock advance",
    summary: "move domain time forward (server started with --dev)",
    options: { seconds: { type: "string", help: "seconds to advance" } },
    call(flags) {
      const seconds = Number(flags.seconds);
      if (!Number.isFinite(seconds) || seconds < 0) throw new UsageError("--seconds must be a non-negative number");
      return { method: "POST", path: "/clock/advance", body: { seconds } };
    },
    show: (r) => `now: ${new Date(r.now).toISOString()}`,
  }),
  adminCommand({
    name: "reset",
    summary: "empty every product's state, keeping accounts, keys and apps (server with --dev or --in-memory only)",
    options: { apps: { type: "boolean", help: "drop the apps (with their ingest keys and settings) too" } },
    call: (flags) => ({ method: "POST", path: "/reset", body: { apps: flags.apps === true } }),
    show: (r) => `reset: ${r.emptied.length} tables emptied, ${r.jobsDeleted} jobs deleted${r.apps ? " (apps dropped too)" : ""}`,
    notFound: "this server cannot be reset: only one started with --dev or --in-memory can (a production ledger never)",
  }),
  adminCommand({
    name: "gme recording",
    summary: "a GME app's recording switch (the console's; no cloud API sets it): show, --open or --close",
    options: {
      app: { type: "string", help: "the GME app's BizId" },
      open: { type: "boolean", help: "open the recording service" },
      close: { type: "boolean", help: "close it (StartRecord then answers ServiceNotOpened)" },
      "empty-room-stop": { type: "string", help: 'seconds an emptied room keeps recording, or "never"' },
    },
    call(flags) {
      required(flags, "app");
      if (flags.open && flags.close) throw new UsageError("--open and --close exclude each other");
      const stop = text(flags, "empty-room-stop");
      const seconds = stop === undefined || stop === "never" ? stop : Number(stop);
      if (typeof seconds === "number" && (!Number.isInteger(seconds) || seconds < 0)) {
        throw new UsageError('--empty-room-stop must be a non-negative integer or "never"');
      }
      const path = `/gme/apps/${encodeURIComponent(text(flags, "app")!)}/recording`;
      if (!flags.open && !flags.close && seconds === undefined) return { method: "GET", path };
      const body = {
        ...(flags.open ? { opened: true } : flags.close ? { opened: false } : {}),
        ...(seconds === undefined ? {} : { emptyRoomStopSeconds: seconds === "never" ? null : seconds }),
      };
      return { method: "POST", path, body };
    },
    show: (r) =>
      `GME ${r.bizId}: recording ${r.opened ? "open" : "closed"}, ${r.emptyRoomStopSeconds === null ? "an emptied room records until StopRecord" : `an emptied room stops recording after ${r.emptyRoomStopSeconds} s`}`,
  }),
  adminCommand({
    name: "tokens create",
    summary: "issue an X-Auth-Token for the Huawei APIs (shown once; stored hashed)",
    options: {
      account,
      ttl: { type: "string", help: "lifetime in seconds (default 86400, as IAM tokens)" },
      label: { type: "string", help: "a note to recognise the token by" },
    },
    call(flags) {
      const ttl = flags.ttl === undefined ? undefined : Number(flags.ttl);
      if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1)) throw new UsageError("--ttl must be a positive integer");
      return {
        method: "POST",
        path: "/rtc/tokens",
        body: { accountId: text(flags, "account"), label: text(flags, "label"), ttlSeconds: ttl },
      };
    },
    show: (r) => `X-Auth-Token: ${r.token}\nProject id:   ${r.huaweiProjectId}\nExpires at:   ${r.expiresAt}`,
  }),
  adminCommand({
    name: "browser-access set",
    summary: "allow page origins to upload QoS samples from browsers for an RTC app; prints its browser token secret",
    options: {
      app: { type: "string", help: "RTC app id" },
      origins: { type: "string", help: "comma-separated page origins, e.g. https://a.example,http://localhost:3000 (empty: none)" },
      "rotate-secret": { type: "boolean", help: "issue a new secret (tokens signed with the old one stop working)" },
    },
    call(flags) {
      required(flags, "app");
      const origins = (text(flags, "origins") ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter((o) => o !== "");
      return {
        method: "POST",
        path: `/rtc/apps/${encodeURIComponent(text(flags, "app")!)}/browser`,
        body: { origins, rotateSecret: flags["rotate-secret"] === true },
      };
    },
    show: (r) => `App:     ${r.appId}\nSecret:  ${r.secret}\nOrigins: ${r.origins.length > 0 ? r.origins.join(", ") : "(none)"}`,
  }),
];

/**
 * `roomledger browser-token mint`: what the customer's backend does, without a server: a
 * browser upload token signed locally with the app's secret (ROOMLEDGER_BROWSER_SECRET or
 * --secret).
 */
export const browserTokenCommand: CommandSpec = {
  name: "browser-token mint",
  summary: "mint a browser upload token for (app, room, user) locally, with the app's browser secret",
  options: {
    app: { type: "string", help: "RTC app id" },
    room: { type: "string", help: "room id" },
    user: { type: "string", help: "the user whose browser reports" },
    ttl: { type: "string", help: "lifetime in seconds, at most 86400 (default 3600)" },
    secret: { type: "string", help: "the app's browser secret (default: env ROOMLEDGER_BROWSER_SECRET)" },
  },
  async run(flags, env) {
    required(flags, "app", "room", "user");
    const secret = text(flags, "secret") ?? env.ROOMLEDGER_BROWSER_SECRET;
    if (!secret) throw new UsageError("--secret or ROOMLEDGER_BROWSER_SECRET is required");
    const ttl = flags.ttl === undefined ? undefined : Number(flags.ttl);
    if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1 || ttl > 86400))
      throw new UsageError("--ttl must be an integer from 1 to 86400");
    const token = mintBrowserToken({
      appId: text(flags, "app")!,
      roomId: text(flags, "room")!,
      userId: text(flags, "user")!,
      secret,
      ttlSeconds: ttl,
    });
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
