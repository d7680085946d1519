// Presence intervals of a room's members, from its stream: the blocks of an attendance
// timeline. The same rule as the statistics' state machine (statistics.ts): a join opens a
// presence unless the member is already online (a second device), a quit, a heartbeat
// loss or a kick closes it, the room's end closes every open one, and nothing after the end
// counts. A live room's open presences run to `asOf`. Tested against computeRoomStatistics:
// each member's blocks, clipped to the class time, add up to its PresentTime.
import { canonicalStream, Kind, type StreamEvent } from "./stream.ts";

export interface PresenceBlock {
  userId: string;
  /** Unix ms. */
  from: number;
  to: number;
  /** How it ended: "quit", "dropped" (heartbeat lost), "kicked", "room-ended", or "online" (still there, live view). */
  end: "quit" | "dropped" | "kicked" | "room-ended" | "online";
}

export function presenceBlocks(events: readonly StreamEvent[], asOf: number): PresenceBlock[] {
  const stream = canonicalStream(events);
  const endEvent = stream.find((e) => e.kind === Kind.RoomEnded);
  const horizon = endEvent?.ctime ?? asOf;
  const open = new Map<string, number>();
  const out: PresenceBlock[] = [];
  const close = (userId: string, t: number, end: PresenceBlock["end"]) => {
    const from = open.get(userId);
    if (from === undefined) return;
    open.delete(userId);
    out.push({ userId, from, to: t, end });
  };
  for (const e of stream) {
    if (e.ctime > horizon) break;
    if (e.userId === "") continue;
    switch (e.kind) {
      case Kind.MemberJoined:
        if (!open.has(e.userId)) open.set(e.userId, e.ctime);
        break;
      case Kind.MemberQuit:
        // The client app reports a kick as a quit with reason 1 or 2, a lost heartbeat as 4.
        close(e.userId, e.ctime, e.reason === 1 || e.reason === 2 ? "kicked" : e.reason === 4 ? "dropped" : "quit");
        break;
      case Kind.HeartbeatLost:
        close(e.userId, e.ctime, "dropped");
        break;
      case Kind.MemberKicked:
        close(e.userId, e.ctime, "kicked");
        break;
      default:
        break;
    }
  }
  for (const userId of [...open.keys()]) close(userId, horizon, endEvent ? "room-ended" : "online");
  return out.sort((a, b) => a.from - b.from || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}
