// LiveKit webhooks built and signed with the official livekit-server-sdk, as a LiveKit
// server sends them (LiveKit server itself cannot be installed here): the event as a
// livekit.WebhookEvent message in proto3 JSON, the Authorization JWT signed with the API
// secret and carrying the body's sha256. Every body is first given to the SDK's own
// WebhookReceiver, which must accept it unchanged: the shapes are LiveKit's own.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { AccessToken, ParticipantInfo, Room, TrackInfo, TrackSource, TrackType, WebhookEvent, WebhookReceiver } from "livekit-server-sdk";
import type { TestServer } from "../support/server.ts";

export interface LiveKitKey {
  apiKey: string;
  apiSecret: string;
}

export interface Webhook {
  body: string;
  token: string;
}

export type LkEventName =
  | "room_started"
  | "room_finished"
  | "participant_joined"
  | "participant_left"
  | "participant_connection_aborted"
  | "track_published"
  | "track_unpublished"
  | "egress_started"
  | "egress_ended";

export interface LkSpec {
  id: string;
  event: LkEventName;
  room: string;
  /** When LiveKit sent it, Unix ms (createdAt goes out in whole seconds, as LiveKit's). */
  at: number;
  identity?: string;
  sid?: string;
  /** The participant's join time, Unix ms (joinedAt seconds and joinedAtMs). */
  joinedAt?: number;
  track?: "mic" | "camera" | "screen";
}

export function webhookEvent(s: LkSpec): WebhookEvent {
  const participant =
    s.identity === undefined
      ? undefined
      : new ParticipantInfo({
          sid: s.sid ?? `PA_${s.identity}`,
          identity: s.identity,
          name: s.identity,
          ...(s.joinedAt !== undefined ? { joinedAt: BigInt(Math.floor(s.joinedAt / 1000)), joinedAtMs: BigInt(s.joinedAt) } : {}),
        });
  const track =
    s.track === undefined
      ? undefined
      : new TrackInfo({
          sid: `TR_${s.id}`,
          type: s.track === "mic" ? TrackType.AUDIO : TrackType.VIDEO,
          source: s.track === "mic" ? TrackSource.MICROPHONE : s.track === "camera" ? TrackSource.CAMERA : TrackSource.SCREEN_SHARE,
        });
  const e = new WebhookEvent({
    id: s.id,
    createdAt: BigInt(Math.floor(s.at / 1000)),
    room: new Room({ sid: `RM_${s.room}`, name: s.room, creationTime: BigInt(Math.floor(s.at / 1000)), creationTimeMs: BigInt(s.at) }),
    ...(participant ? { participant } : {}),
    ...(track ? { track } : {}),
    ...(s.event.startsWith("egress") ? { egressInfo: { egressId: `EG_${s.id}`, roomName: s.room } } : {}),
  } as never);
  // The SDK's WebhookEvent subclass resets `event` after its constructor took it: set it after.
  e.event = s.event;
  return e;
}

/** Signs a body as LiveKit does: a JWT issued by the API key, its sha256 claim the body's hash. */
export async function sign(key: LiveKitKey, body: string): Promise<string> {
  const token = new AccessToken(key.apiKey, key.apiSecret, { ttl: "10m" });
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return token.toJwt();
}

/** Builds a signed webhook and checks that LiveKit's own receiver accepts exactly it. */
export async function webhook(key: LiveKitKey, spec: LkSpec | WebhookEvent): Promise<Webhook> {
  const event = spec instanceof WebhookEvent ? spec : webhookEvent(spec);
  const body = event.toJsonString();
  const token = await sign(key, body);
  const received = await new WebhookReceiver(key.apiKey, key.apiSecret).receive(body, token);
  assert.ok(received.equals(event), "WebhookReceiver read back another event");
  return { body, token };
}

export async function post(server: TestServer, w: Webhook, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/ingest/v1/livekit`, {
    method: "POST",
    headers: { authorization: w.token, "content-type": "application/webhook+json", ...headers },
    body: w.body,
    // A request that hangs fails here, naming itself, rather than as the whole test's timeout.
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: await res.json() };
}

export async function deliver(server: TestServer, key: LiveKitKey, specs: readonly LkSpec[]): Promise<void> {
  for (const s of specs) {
    const r = await post(server, await webhook(key, s));
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
}

export async function linkLiveKit(server: TestServer, appId: string, key: LiveKitKey): Promise<void> {
  await server.admin("POST", "/sources/links", { appId, kind: "livekit", keyId: key.apiKey, secret: key.apiSecret });
}
