// `roomledger source link` and `roomledger source map`: a media server linked to an app in one
// command (its credential and attendance settings), and the explicit mappings where the SFU's
// room names or identities are not the cloud's RoomId / UserId. Each is one call to the admin
// API's /admin/v1/sources routes.
import { adminCommand, required, text } from "./admin-commands.ts";
import { UsageError, type Flags } from "./args.ts";

const KINDS = ["livekit", "janus"];

function seconds(flags: Flags, name: string): number | undefined {
  const v = text(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number of seconds`);
  return n;
}

function kindOf(flags: Flags, name: string): string {
  const kind = text(flags, name);
  if (!kind || !KINDS.includes(kind)) throw new UsageError(`--${name} must be ${KINDS.join(" or ")}`);
  return kind;
}

export const sourceCommands = [
  adminCommand({
    name: "source link",
    summary: "link a media server to an app: LiveKit's API key and secret, or the basic-auth user and password of Janus's event handler",
    options: {
      app: { type: "string", help: "app id" },
      kind: { type: "string", help: "livekit or janus" },
      "api-key": { type: "string", help: "LiveKit API key (the webhook token's issuer)" },
      "api-secret": { type: "string", help: "LiveKit API secret (verifies the webhooks' signature)" },
      "key-id": { type: "string", help: "janus: the basic-auth user name" },
      secret: { type: "string", help: "janus: the basic-auth password (at least 8 characters)" },
      "reconnect-gap": { type: "string", help: "seconds within which a reconnect is the same presence (default 10)" },
      "presence-timeout": {
        type: "string",
        help: "seconds after which an open presence with no news closes (default: LiveKit 21600, Janus 120)",
      },
    },
    call(flags) {
      required(flags, "app", "kind");
      const kind = kindOf(flags, "kind");
      const keyId = kind === "livekit" ? text(flags, "api-key") : text(flags, "key-id");
      const secret = kind === "livekit" ? text(flags, "api-secret") : text(flags, "secret");
      if (!keyId || !secret) {
        throw new UsageError(kind === "livekit" ? "--api-key and --api-secret are required" : "--key-id and --secret are required");
      }
      return {
        method: "POST",
        path: "/sources/links",
        body: {
          appId: text(flags, "app"),
          kind,
          keyId,
          secret,
          reconnectGapSeconds: seconds(flags, "reconnect-gap"),
          openTimeoutSeconds: seconds(flags, "presence-timeout"),
        },
      };
    },
    show: (r) =>
      [
        `Linked ${r.kind} key ${r.keyId} to app ${r.appId}.`,
        `Webhook URL:      <public URL>${r.webhookPath}`,
        `Reconnect gap:    ${r.reconnectGapSeconds} s`,
        `Presence timeout: ${r.openTimeoutSeconds} s`,
      ].join("\n"),
  }),
  adminCommand({
    name: "source map",
    summary: "map an SFU room to a cloud RoomId (--room, --target) or a participant identity to a UserId (--identity, --user)",
    options: {
      app: { type: "string", help: "app id" },
      source: { type: "string", help: "livekit or janus" },
      room: { type: "string", help: "the SFU's room name" },
      target: { type: "string", help: "the cloud's room id (LCIC RoomId, GME RoomId)" },
      identity: { type: "string", help: "the SFU's participant identity" },
      user: { type: "string", help: "the cloud's UserId" },
    },
    call(flags) {
      required(flags, "app", "source");
      const source = kindOf(flags, "source");
      const body = {
        appId: text(flags, "app"),
        source,
        room: text(flags, "room"),
        target: text(flags, "target"),
        identity: text(flags, "identity"),
        userId: text(flags, "user"),
      };
      return { method: "POST", path: "/sources/mappings", body };
    },
    show: (r) => `mapped; rooms recomputed: ${Object.keys(r.recomputed).join(", ") || "(none)"}`,
  }),
];
