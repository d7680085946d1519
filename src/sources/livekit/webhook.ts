// A LiveKit webhook (livekit.WebhookEvent in proto3 JSON: camelCase names, int64 values as
// strings, enums as names, default values left out) read as the attendance model's one
// SourceEvent. Only what presence needs is read; the egress and ingress events are kept
// whole in `extras` for the recording work that will use them.
//
// Times: `createdAt` (when LiveKit sent the event) is in whole seconds; a participant's
// `joinedAtMs` (or `joinedAt`, seconds) and a room's `creationTimeMs` are more precise, so
// joins and room starts use those. A left is stamped with `createdAt`, but never before its
// own connection's join (a second's truncation must not make a negative stay).
import { createHash } from "node:crypto";
import type { Media, SourceEvent, SourceEventKind } from "../attendance/index.ts";

const NO_ROOM = "(none)";

export class WebhookShapeError extends Error {}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** An int64 of proto3 JSON (a decimal string, or a number); 0 when absent. */
function int64(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === "string" && /^-?\d{1,16}$/.test(v) ? Number(v) : typeof v === "number" && Number.isSafeInteger(v) ? v : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw new WebhookShapeError(`'${what}' must be an int64 (a decimal string)`);
  return n;
}

const KINDS: Record<string, SourceEventKind> = {
  room_started: "room-started",
  room_finished: "room-finished",
  participant_joined: "joined",
  participant_left: "left",
  participant_connection_aborted: "aborted",
  track_published: "media-on",
  track_unpublished: "media-off",
};

/** TrackSource first (what the user turned on), else TrackType; data tracks are no media. */
function mediaOf(track: Json): Media | null {
  switch (track.source) {
    case "MICROPHONE":
    case 2:
      return "audio";
    case "CAMERA":
    case 1:
      return "video";
    case "SCREEN_SHARE":
    case "SCREEN_SHARE_AUDIO":
    case 3:
    case 4:
      return "screen";
  }
  const type = track.type ?? "AUDIO"; // AUDIO is the enum's default, left out of proto3 JSON
  return type === "AUDIO" || type === 0 ? "audio" : type === "VIDEO" || type === 1 ? "video" : null;
}

export function toSourceEvent(body: Buffer, parsed: unknown): SourceEvent {
  const e = obj(parsed);
  if (!e) throw new WebhookShapeError("the body must be a JSON object (a livekit.WebhookEvent)");
  const name = str(e.event);
  if (name === "") throw new WebhookShapeError("'event' is required");
  const room = obj(e.room) ?? {};
  const participant = obj(e.participant) ?? {};
  const track = obj(e.track);
  const egress = obj(e.egressInfo);
  const ingress = obj(e.ingressInfo);
  const createdMs = int64(e.createdAt, "createdAt") * 1000;
  // Older servers send no id: the body's hash then names the event (a retry is the same body).
  const eventId = str(e.id) || `sha256:${createHash("sha256").update(body).digest("base64url")}`;
  const roomName = str(room.name) || str(egress?.roomName) || str(ingress?.roomName);
  const identity = str(participant.identity);
  const joinedMs = int64(participant.joinedAtMs, "participant.joinedAtMs") || int64(participant.joinedAt, "participant.joinedAt") * 1000;
  let kind: SourceEventKind = KINDS[name] ?? "other";
  const extras: Record<string, unknown> = {};
  let at = createdMs;

  if (kind === "room-started")
    at = int64(room.creationTimeMs, "room.creationTimeMs") || int64(room.creationTime, "room.creationTime") * 1000 || createdMs;
  if (kind === "joined") at = joinedMs || createdMs;
  if (kind === "left" || kind === "aborted") {
    if (joinedMs > 0) extras.connectedAt = joinedMs;
    at = Math.max(createdMs, joinedMs);
  }
  if (kind === "media-on" || kind === "media-off") {
    if (!track) throw new WebhookShapeError(`'track' is required on ${name}`);
    const media = mediaOf(track);
    if (media === null) kind = "other";
    else extras.media = media;
    extras.trackSid = str(track.sid);
  }
  if (kind === "other") {
    extras.event = name;
    if (egress) extras.egressInfo = egress;
    if (ingress) extras.ingressInfo = ingress;
  }
  const needsParticipant = kind === "joined" || kind === "left" || kind === "aborted" || kind === "media-on" || kind === "media-off";
  if (needsParticipant && identity === "") throw new WebhookShapeError(`'participant.identity' is required on ${name}`);
  if (roomName === "" && kind !== "other") throw new WebhookShapeError(`'room.name' is required on ${name}`);
  if (at === 0) throw new WebhookShapeError("'createdAt' is required");
  return {
    source: "livekit",
    eventId,
    room: roomName || NO_ROOM, // an egress of no room (web egress) is still kept
    identity: needsParticipant ? identity : "",
    connection: needsParticipant ? str(participant.sid) : "",
    kind,
    at,
    ...(Object.keys(extras).length > 0 ? { extras } : {}),
  };
}
