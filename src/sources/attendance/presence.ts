// The attendance model itself: a room's presences computed from the SET of its source
// events, with no SQL or HTTP. Because it is a function of the set (deduplicated by event id,
// put in one canonical order) and of `now`, the same call delivered shuffled, duplicated or
// retried gives the same presences: that is what makes the ledger survive real SFUs.
//
// Rules (the issue's, and where it is silent, ours):
// - Presence is tracked per connection (LiveKit participant sid, Janus handle), then the
//   connections of one identity are united: on a fast reconnect LiveKit sends the new
//   connection's `participant_joined` before the old one's `participant_left`, which must not
//   end the presence.
// - An aborted connection (`participant_connection_aborted`) counts as no presence at all.
// - A `left` without a `joined` (LiveKit sends those) is a presence from `extras.connectedAt`
//   (the source's own join time) or, without one, an instant at the left; a connection first
//   heard of by its media also starts at the left's `connectedAt` when that is earlier.
// - Media and sign-of-life events of a connection not yet joined open it: they prove presence.
// - An open connection closes at the first `room-finished` after it opened or, when nothing
//   was heard of it for `openTimeoutMs`, at the last time it was heard of (known present
//   until then, no longer: an upper bound would invent attendance).
// - Presences of one identity less than `reconnectGapMs` apart are one presence.
// - Ties in time: room start, joins, media, lefts, aborts, room finish; then event id.
import type { Media, SourceEventKind, SourceExtras } from "./source-event.ts";

export interface RawEvent {
  eventId: string;
  identity: string;
  connection: string;
  kind: SourceEventKind;
  at: number;
  extras?: SourceExtras | null;
}

export interface AttendanceSettings {
  /** A gap between two presences of one identity up to this long is a reconnect: one presence. */
  reconnectGapMs: number;
  /** An open connection with no news for this long is closed at its last news. */
  openTimeoutMs: number;
}

export interface Presence {
  identity: string;
  /** Stable id: the event id of the presence's first event (in the canonical order). */
  id: string;
  start: number;
  /** null: still open. */
  end: number | null;
  /** Why it ended. */
  closedBy: "left" | "room-finished" | "timeout" | null;
}

export interface MediaMark {
  identity: string;
  eventId: string;
  media: Media;
  on: boolean;
  at: number;
}

export interface RoomAttendance {
  /** By identity (code-unit order), then start. */
  presences: Presence[];
  media: MediaMark[];
  /** The latest event time of each identity (what a last-writer-wins store needs). */
  lastAt: Map<string, number>;
  /** When an open connection will time out (domain time), for the timeout job; null if none. */
  nextTimeoutAt: number | null;
}

const RANK: Record<SourceEventKind, number> = {
  "room-started": 0,
  joined: 1,
  "media-on": 2,
  "media-off": 2,
  seen: 2,
  other: 2,
  left: 3,
  aborted: 4,
  "room-finished": 5,
};

export function compareRaw(a: RawEvent, b: RawEvent): number {
  if (a.at !== b.at) return a.at - b.at;
  if (RANK[a.kind] !== RANK[b.kind]) return RANK[a.kind] - RANK[b.kind];
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

interface Segment {
  id: string;
  start: number;
  end: number | null;
  closedBy: Presence["closedBy"];
}

interface Connection {
  identity: string;
  aborted: boolean;
  segments: Segment[];
  lastSeen: number;
}

export function deriveAttendance(events: readonly RawEvent[], settings: AttendanceSettings, now: number): RoomAttendance {
  const seen = new Set<string>();
  const ordered = [...events].sort(compareRaw).filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
  const finishes = ordered.filter((e) => e.kind === "room-finished").map((e) => e.at);
  const connections = new Map<string, Connection>();
  const media: MediaMark[] = [];
  const lastAt = new Map<string, number>();

  for (const e of ordered) {
    if (e.identity === "") continue;
    lastAt.set(e.identity, Math.max(lastAt.get(e.identity) ?? 0, e.at));
    const key = `${e.identity}\u0000${e.connection}`;
    let c = connections.get(key);
    if (!c) connections.set(key, (c = { identity: e.identity, aborted: false, segments: [], lastSeen: e.at }));
    c.lastSeen = Math.max(c.lastSeen, e.at);
    const open = c.segments.at(-1)?.end === null ? c.segments.at(-1)! : null;
    switch (e.kind) {
      case "joined":
        if (!open) c.segments.push({ id: e.eventId, start: e.at, end: null, closedBy: null });
        break;
      case "left":
        if (open) {
          // Opened by media or a sign of life before any join was heard: the source's own join
          // time, when the left carries it, is when the connection really began.
          const from = e.extras?.connectedAt;
          const previousEnd = c.segments.at(-2)?.end ?? null;
          if (from !== undefined && from < open.start && (previousEnd === null || from > previousEnd)) open.start = from;
          open.end = e.at;
          open.closedBy = "left";
        } else if (c.segments.length === 0) {
          const from = Math.min(e.extras?.connectedAt ?? e.at, e.at);
          c.segments.push({ id: e.eventId, start: from, end: e.at, closedBy: "left" });
        }
        break;
      case "aborted":
        c.aborted = true;
        break;
      case "media-on":
      case "media-off":
        media.push({ identity: e.identity, eventId: e.eventId, media: e.extras!.media!, on: e.kind === "media-on", at: e.at });
        if (c.segments.length === 0) c.segments.push({ id: e.eventId, start: e.at, end: null, closedBy: null });
        break;
      case "seen":
        if (c.segments.length === 0) c.segments.push({ id: e.eventId, start: e.at, end: null, closedBy: null });
        break;
      default:
        break;
    }
  }

  let nextTimeoutAt: number | null = null;
  const byIdentity = new Map<string, Segment[]>();
  for (const c of connections.values()) {
    if (c.aborted) continue;
    for (const s of c.segments) {
      if (s.end === null) {
        const finish = finishes.find((t) => t >= s.start);
        const timeout = c.lastSeen + settings.openTimeoutMs;
        if (finish !== undefined && finish <= timeout) {
          s.end = finish;
          s.closedBy = "room-finished";
        } else if (now >= timeout) {
          s.end = c.lastSeen;
          s.closedBy = "timeout";
        } else nextTimeoutAt = Math.min(nextTimeoutAt ?? timeout, timeout);
      }
      const list = byIdentity.get(c.identity) ?? [];
      list.push(s);
      byIdentity.set(c.identity, list);
    }
  }

  const presences: Presence[] = [];
  for (const identity of [...byIdentity.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const segs = byIdentity.get(identity)!.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let cur: Presence | null = null;
    for (const s of segs) {
      if (cur && (cur.end === null || s.start - cur.end <= settings.reconnectGapMs)) {
        if (cur.end !== null && (s.end === null || s.end > cur.end)) {
          cur.end = s.end;
          cur.closedBy = s.closedBy;
        }
        continue;
      }
      cur = { identity, id: s.id, start: s.start, end: s.end, closedBy: s.closedBy };
      presences.push(cur);
    }
  }
  return { presences, media, lastAt, nextTimeoutAt };
}
