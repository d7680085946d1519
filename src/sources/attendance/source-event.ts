// The one shape every media server's events take once its adapter (livekit/, janus/) has
// read them: the attendance model never sees a vendor's wire format. Checked here, once, so
// that a malformed event from any source is refused with a reason instead of corrupting a
// room's presences.

/** What happened, as far as presence is concerned. */
export type SourceEventKind =
  /** A connection of `identity` joined the room. */
  | "joined"
  /** A connection left (`extras.connectedAt`: when it had joined, if the source says). */
  | "left"
  /** A connection failed before it was established: it counts as no presence at all. */
  | "aborted"
  | "room-started"
  /** The room is over: every connection still open in it closes here. */
  | "room-finished"
  /** A media of the connection started / stopped (`extras.media`). */
  | "media-on"
  | "media-off"
  /** A sign of life of a connection (media stats ...): keeps it from timing out. */
  | "seen"
  /** Kept for later use, no effect on presence (LiveKit egress, ...). */
  | "other";

export const SOURCE_EVENT_KINDS: readonly SourceEventKind[] = [
  "joined",
  "left",
  "aborted",
  "room-started",
  "room-finished",
  "media-on",
  "media-off",
  "seen",
  "other",
];

export type Media = "audio" | "video" | "screen";

export interface SourceExtras {
  /** On "left": when the connection had joined (LiveKit's ParticipantInfo.joinedAt), Unix ms. */
  connectedAt?: number;
  /** On "media-on"/"media-off". */
  media?: Media;
  /** Anything else the source said, kept as JSON (e.g. LiveKit's egressInfo). */
  [key: string]: unknown;
}

export interface SourceEvent {
  /** The adapter's name: "livekit", "janus". */
  source: string;
  /** The source's own event id: the same id twice is one event (retries). */
  eventId: string;
  /** The SFU's room name (mapped to the cloud's room by mapping/). */
  room: string;
  /** The participant's identity ("" for room events); mapped to the cloud's UserId. */
  identity: string;
  /** One connection of the identity (LiveKit participant sid, Janus session/handle); "" if unknown. */
  connection: string;
  kind: SourceEventKind;
  /** The source's own timestamp of the event, Unix ms. */
  at: number;
  extras?: SourceExtras;
}

const MAX_ID = 256;
const MAX_EXTRAS_BYTES = 16 * 1024;

/** Why the event cannot be recorded, or null when it can. */
export function sourceEventProblem(e: SourceEvent): string | null {
  if (typeof e.source !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(e.source)) return "'source' must be a short lower-case name";
  for (const f of ["eventId", "room", "identity", "connection"] as const) {
    if (typeof e[f] !== "string" || e[f].length > MAX_ID) return `'${f}' must be a string of at most ${MAX_ID} characters`;
  }
  if (e.eventId === "") return "'eventId' must not be empty";
  if (e.room === "") return "'room' must not be empty";
  if (!SOURCE_EVENT_KINDS.includes(e.kind)) return `'kind' must be one of ${SOURCE_EVENT_KINDS.join(", ")}`;
  const roomEvent = e.kind === "room-started" || e.kind === "room-finished" || e.kind === "other";
  if (!roomEvent && e.identity === "") return `a '${e.kind}' event needs an identity`;
  if (!Number.isSafeInteger(e.at) || e.at < 0) return "'at' must be Unix milliseconds";
  if (e.extras !== undefined) {
    if (typeof e.extras !== "object" || e.extras === null || Array.isArray(e.extras)) return "'extras' must be an object";
    const c = e.extras.connectedAt;
    if (c !== undefined && (!Number.isSafeInteger(c) || c < 0)) return "'extras.connectedAt' must be Unix milliseconds";
    const m = e.extras.media;
    if (m !== undefined && m !== "audio" && m !== "video" && m !== "screen") return "'extras.media' must be audio, video or screen";
    if (JSON.stringify(e.extras).length > MAX_EXTRAS_BYTES) return `'extras' must be at most ${MAX_EXTRAS_BYTES} bytes of JSON`;
  }
  if ((e.kind === "media-on" || e.kind === "media-off") && e.extras?.media === undefined) return `a '${e.kind}' event needs extras.media`;
  return null;
}
