// Janus's event-handler events (Janus 1.x, janus.eventhandler.sampleevh), read into the few
// facts roomledger uses. Pure: no storage, no transport. Every event has the envelope
// {emitter?, type, subtype?, timestamp (µs), session_id?, handle_id?, opaque_id?, event}.
// Types we do not use (transports 128, JSEP 8, most WebRTC 16, external 4) are accepted and
// skipped, as are plugins other than the VideoRoom; the fields we DO use are checked, and an
// event whose used field is malformed makes the whole POST a 400 naming it (nothing stored).
import { createHash } from "node:crypto";

export const JANUS_SESSION = 1;
export const JANUS_HANDLE = 2;
export const JANUS_MEDIA = 32;
export const JANUS_PLUGIN = 64;
export const JANUS_CORE = 256;
/** Media subtype of the periodic statistics (ice.c: JANUS_EVENT_SUBTYPE_MEDIA_STATS). */
const MEDIA_STATS = 3;
const VIDEOROOM = "janus.plugin.videoroom";

/** Janus ids (room, feed) may be numbers or, with `string_ids`, strings: kept as text. */
type Id = string;

/** One medium's statistics of a handle: Janus's counters are cumulative since the PeerConnection began. */
export interface MediumStats {
  mid: string;
  /** "audio", "video", "video-sim1", "video-sim2" (simulcast layers), "data". */
  media: string;
  rtt: number;
  lost: number;
  lostByRemote: number;
  jitterLocal: number;
  jitterRemote: number;
  packetsReceived: number;
  packetsSent: number;
  retransmissionsReceived: number;
  bytesReceivedLastsec: number;
  bytesSentLastsec: number;
  /** 0 until Janus has had receiver reports for what it sends (then 0–100). */
  outLinkQuality: number;
}

interface Base {
  /** Hash of the event as sent: a retransmitted POST carries the same events, so the same ids. */
  id: string;
  emitter: string;
  /** Janus's timestamp, Unix ms (it sends µs). */
  at: number;
}

export type JanusFact = Base &
  (
    | { kind: "session-gone"; session: Id } // destroyed, timeout
    | { kind: "handle-detached"; session: Id; handle: Id }
    | { kind: "joined"; session: Id; handle: Id; room: Id; feed: Id; display: string | null; privateId: Id | null }
    | { kind: "published"; room: Id; feed: Id; media: ("audio" | "video")[] }
    | { kind: "unpublished"; room: Id; feed: Id }
    | { kind: "leaving"; room: Id; feed: Id } // also "kicked"
    | { kind: "subscribing"; session: Id; handle: Id; room: Id; privateId: Id | null; streams: { mid: string; feed: Id }[] }
    | { kind: "room-destroyed"; room: Id }
    | { kind: "stats"; session: Id; handle: Id; media: MediumStats[] }
    | { kind: "core-stopped" } // Janus shut down or (re)started: nobody is connected any more
  );

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** A reason the event cannot be read, thrown inside and caught per event. */
class Bad extends Error {}

const MAX_ID = 128;

function id(o: Obj, key: string, what = key): Id {
  const v = o[key];
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === "string" && v.length > 0 && v.length <= MAX_ID) return v;
  throw new Bad(`'${what}' must be a non-negative integer or a string of 1 to ${MAX_ID} characters`);
}

const optionalId = (o: Obj, key: string, what = key): Id | null => (o[key] === undefined || o[key] === null ? null : id(o, key, what));

function count(o: Obj, key: string): number {
  const v = o[key];
  if (v === undefined) return 0; // older Janus versions lack some counters
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Bad(`'event.${key}' must be a non-negative number`);
  return v;
}

function medium(o: unknown, where: string): MediumStats {
  if (!isObj(o)) throw new Bad(`'${where}' must be an object`);
  const mid = o.mid === undefined ? "" : o.mid;
  if (typeof mid !== "string" || mid.length > 64) throw new Bad(`'${where}.mid' must be a string of at most 64 characters`);
  if (typeof o.media !== "string" || o.media.length > 32) throw new Bad(`'${where}.media' must be a short string`);
  return {
    mid,
    media: o.media,
    rtt: count(o, "rtt"),
    lost: count(o, "lost"),
    lostByRemote: count(o, "lost-by-remote"),
    jitterLocal: count(o, "jitter-local"),
    jitterRemote: count(o, "jitter-remote"),
    packetsReceived: count(o, "packets-received"),
    packetsSent: count(o, "packets-sent"),
    retransmissionsReceived: count(o, "retransmissions-received"),
    bytesReceivedLastsec: count(o, "bytes-received-lastsec"),
    bytesSentLastsec: count(o, "bytes-sent-lastsec"),
    outLinkQuality: Math.max(count(o, "out-link-quality"), count(o, "out-media-link-quality")),
  };
}

function videoroom(base: Base, e: Obj, ev: Obj): JanusFact | null {
  if (ev.plugin !== VIDEOROOM || !isObj(ev.data)) return null;
  const d = ev.data;
  const what = d.event;
  const room = () => id(d, "room", "event.data.room");
  switch (what) {
    case "joined": {
      const display = d.display === undefined || d.display === null ? null : d.display;
      if (display !== null && (typeof display !== "string" || display.length > 256)) {
        throw new Bad("'event.data.display' must be a string of at most 256 characters");
      }
      return {
        ...base,
        kind: "joined",
        session: id(e, "session_id"),
        handle: id(e, "handle_id"),
        room: room(),
        feed: id(d, "id", "event.data.id"),
        display,
        privateId: optionalId(d, "private_id", "event.data.private_id"),
      };
    }
    case "published": {
      const streams = Array.isArray(d.streams) ? d.streams.filter(isObj) : [];
      const media = [...new Set(streams.map((s) => s.type).filter((t): t is "audio" | "video" => t === "audio" || t === "video"))];
      return { ...base, kind: "published", room: room(), feed: id(d, "id", "event.data.id"), media };
    }
    case "unpublished":
      return { ...base, kind: "unpublished", room: room(), feed: id(d, "id", "event.data.id") };
    case "leaving":
    case "kicked":
      return { ...base, kind: "leaving", room: room(), feed: id(d, "id", "event.data.id") };
    case "subscribing":
    case "updated": {
      if (!Array.isArray(d.streams)) throw new Bad("'event.data.streams' must be an array");
      const streams = d.streams.flatMap((s, i) => {
        if (!isObj(s)) throw new Bad(`'event.data.streams[${i}]' must be an object`);
        if (s.feed_id === undefined) return []; // a data channel or an inactive slot
        if (typeof s.mid !== "string" || s.mid.length > 64) throw new Bad(`'event.data.streams[${i}].mid' must be a short string`);
        return [{ mid: s.mid, feed: id(s, "feed_id", `event.data.streams[${i}].feed_id`) }];
      });
      return {
        ...base,
        kind: "subscribing",
        session: id(e, "session_id"),
        handle: id(e, "handle_id"),
        room: room(),
        privateId: optionalId(d, "private_id", "event.data.private_id"),
        streams,
      };
    }
    case "destroyed":
      return { ...base, kind: "room-destroyed", room: room() };
    default:
      return null;
  }
}

/** The fact one Janus event carries (null: nothing roomledger uses), or throws Bad. */
function read(raw: unknown): JanusFact | null {
  if (!isObj(raw)) throw new Bad("an event must be a JSON object");
  const { type, timestamp } = raw;
  if (typeof type !== "number" || !Number.isSafeInteger(type)) throw new Bad("'type' must be an integer");
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Bad("'timestamp' must be microseconds since the Unix epoch");
  }
  const emitter = raw.emitter === undefined ? "" : raw.emitter;
  if (typeof emitter !== "string" || emitter.length > MAX_ID) throw new Bad(`'emitter' must be a string of at most ${MAX_ID} characters`);
  const ev = raw.event;
  if (!isObj(ev) && !(type === JANUS_MEDIA && Array.isArray(ev))) throw new Bad("'event' must be an object");
  const base: Base = { id: eventId(raw), emitter, at: Math.floor(timestamp / 1000) };
  switch (type) {
    case JANUS_SESSION: {
      const e = ev as Obj;
      return e.name === "destroyed" || e.name === "timeout" ? { ...base, kind: "session-gone", session: id(raw, "session_id") } : null;
    }
    case JANUS_HANDLE:
      return (ev as Obj).name === "detached"
        ? { ...base, kind: "handle-detached", session: id(raw, "session_id"), handle: id(raw, "handle_id") }
        : null;
    case JANUS_MEDIA: {
      if (raw.subtype !== MEDIA_STATS) return null;
      // combine_media_stats = true sends every medium of the handle in one array.
      const list = Array.isArray(ev) ? ev : [ev];
      const media = list.map((m, i) => medium(m, Array.isArray(ev) ? `event[${i}]` : "event"));
      return { ...base, kind: "stats", session: id(raw, "session_id"), handle: id(raw, "handle_id"), media };
    }
    case JANUS_PLUGIN:
      return videoroom(base, raw, ev as Obj);
    case JANUS_CORE: {
      const status = (ev as Obj).status;
      return status === "shutdown" || status === "started" ? { ...base, kind: "core-stopped" } : null;
    }
    default:
      return null;
  }
}

/** A stable id of an event: its JSON as parsed (a retransmission resends the same text). */
function eventId(raw: Obj): string {
  return createHash("sha256").update(JSON.stringify(raw)).digest("base64url").slice(0, 32);
}

export interface ReadResult {
  facts: JanusFact[];
  bad: { index: number; reason: string }[];
}

/** Reads a POST's events (an array when Janus groups them, one object when it does not). */
export function readJanusEvents(body: unknown): ReadResult {
  const list = Array.isArray(body) ? body : [body];
  const facts: JanusFact[] = [];
  const bad: ReadResult["bad"] = [];
  list.forEach((raw, index) => {
    try {
      const f = read(raw);
      if (f) facts.push(f);
    } catch (err) {
      if (!(err instanceof Bad)) throw err;
      bad.push({ index, reason: err.message });
    }
  });
  return { facts, bad };
}
