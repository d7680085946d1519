// The room's event stream: every fact about a room, whether reported through the ingest API
// (joins, cameras, hands ...) or produced by roomledger itself (room start/end, kicks, the
// quits of the end). Statistics, GetRoomEvent and the live member list are all read from it.
//
// A kind's number is also its rank among events of the same millisecond: the room starts
// first, members join before they act, act before they leave, and the room ends last. Ties
// beyond that are broken by event id, so any arrival order gives one order.

export const Kind = {
  RoomStarted: 1,
  MemberJoined: 2,
  MemberUnblocked: 3,
  CameraOn: 10,
  CameraOff: 11,
  MicOn: 12,
  MicOff: 13,
  ScreenOn: 14,
  ScreenOff: 15,
  StageUp: 16,
  StageDown: 17,
  HandRaised: 18,
  QuestionAnswered: 19,
  RewardGiven: 20,
  MemberMuted: 21,
  MemberUnmuted: 22,
  Message: 23,
  MemberQuit: 30,
  HeartbeatLost: 31,
  MemberKicked: 32,
  RoomEnded: 40,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/**
 * The kinds whose order matters (presence and the room's own events). Every other kind only
 * counts or sets a flag, so its events may be read already tallied per (user, kind).
 */
export const ORDERED_KINDS: readonly Kind[] = [
  Kind.RoomStarted,
  Kind.MemberJoined,
  Kind.MemberUnblocked,
  Kind.MemberQuit,
  Kind.HeartbeatLost,
  Kind.MemberKicked,
  Kind.RoomEnded,
];
/** The kinds that count toward the statistics (the others, e.g. CameraOff, change nothing). */
export const COUNTED_KINDS: readonly Kind[] = [
  Kind.CameraOn,
  Kind.MicOn,
  Kind.StageUp,
  Kind.HandRaised,
  Kind.QuestionAnswered,
  Kind.RewardGiven,
  Kind.MemberMuted,
  Kind.Message,
];

/** How many events of a counted kind a user has up to the statistics' horizon. */
export interface Tally {
  userId: string;
  kind: Kind;
  count: number;
}

/** MemberQuit reasons of GetRoomEvent and the callbacks. */
export const QuitReason = { Left: 0, Kicked: 1, KickedForever: 2, HeartbeatLost: 4, RoomEnded: 5 } as const;

export interface StreamEvent {
  id: string;
  kind: Kind;
  /** When it happened, Unix ms. */
  ctime: number;
  /** "" for room events. */
  userId: string;
  role?: number | null;
  device?: number | null;
  /** MemberQuit: the reason; MemberKicked: the kick type (1 temporary, 2 permanent). */
  reason?: number | null;
  ip?: string | null;
  location?: string | null;
}

/** The one order of a stream: time, then kind, then id. */
export function compareEvents(a: StreamEvent, b: StreamEvent): number {
  if (a.ctime !== b.ctime) return a.ctime - b.ctime;
  if (a.kind !== b.kind) return a.kind - b.kind;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Sorts and drops repeated ids (a retried event counts once: the first in the canonical
 * order). A stream read in order from the store is only checked, not sorted again.
 */
export function canonicalStream(events: readonly StreamEvent[]): StreamEvent[] {
  let sorted = true;
  for (let i = 1; i < events.length && sorted; i++) if (compareEvents(events[i - 1]!, events[i]!) > 0) sorted = false;
  const ordered = sorted ? events : [...events].sort(compareEvents);
  const seen = new Set<string>();
  const out: StreamEvent[] = [];
  for (const e of ordered) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
  }
  return out;
}

/** The GetRoomEvent name of a kind, or null for kinds GetRoomEvent does not list. */
export function wireEventType(kind: Kind): string | null {
  switch (kind) {
    case Kind.RoomStarted:
      return "RoomStart";
    case Kind.RoomEnded:
      return "RoomEnd";
    case Kind.MemberJoined:
      return "MemberJoin";
    case Kind.MemberQuit:
    case Kind.HeartbeatLost:
      return "MemberQuit";
    case Kind.CameraOn:
      return "CameraOn";
    case Kind.CameraOff:
      return "CameraOff";
    case Kind.MicOn:
      return "MicOn";
    case Kind.MicOff:
      return "MicOff";
    case Kind.ScreenOn:
      return "ScreenOn";
    case Kind.ScreenOff:
      return "ScreenOff";
    default:
      return null;
  }
}

export const WIRE_EVENT_TYPES = [
  "RoomStart",
  "RoomEnd",
  "MemberJoin",
  "MemberQuit",
  "CameraOn",
  "CameraOff",
  "MicOn",
  "MicOff",
  "ScreenOn",
  "ScreenOff",
];

/** The kinds of a GetRoomEvent keyword. */
export function kindsOfWireType(type: string): Kind[] {
  return (Object.values(Kind) as Kind[]).filter((k) => wireEventType(k) === type);
}

export const WIRE_KINDS: Kind[] = (Object.values(Kind) as Kind[]).filter((k) => wireEventType(k) !== null);
