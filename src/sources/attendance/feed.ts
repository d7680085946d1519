// From a room's derived attendance to what the ledger already knows: LCIC members (the
// statistics, the live member list, GetRoomEvent) and GME voice-room presence. Which product
// is fed depends on the app; a room that maps to nothing there is skipped (its raw events
// stay, and a later mapping recomputes it).
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import type { App } from "../../tenancy/accounts.ts";
import {
  QuitReason,
  replaceSourcePresence,
  type SourceMediaMark,
  type SourcePresenceOutcome,
} from "../../products/lcic/events/source-presence.ts";
import { replaceSourceMembers } from "../../products/gme/source-presence.ts";
import type { MediaMark, RoomAttendance } from "./presence.ts";

/** The products' contexts (server.ts): a feed runs with the context of the product it writes. */
export interface Feeds {
  lcic?: ProductContext;
  gme?: ProductContext;
}

export interface FeedOutcome {
  lcic: SourcePresenceOutcome | "not-a-room-id" | null;
  gme: "applied" | "invalid-room" | null;
}

/** LCIC RoomIds are positive integers; any other name needs an explicit mapping. */
const LCIC_ROOM_ID = /^[1-9][0-9]{0,15}$/;

const MEDIA: Record<MediaMark["media"], "mic" | "camera" | "screen"> = { audio: "mic", video: "camera", screen: "screen" };

/** `key` tells this SFU room's rows from any other's in the products (attendance.ts, feedKey). */
export async function feedProducts(
  feeds: Feeds,
  tx: Queryable,
  app: App,
  key: string,
  target: string,
  users: ReadonlyMap<string, string>,
  a: RoomAttendance,
): Promise<FeedOutcome> {
  const out: FeedOutcome = { lcic: null, gme: null };
  const userOf = (identity: string) => users.get(identity) ?? identity;
  if (feeds.lcic && app.products.includes("lcic")) {
    if (!LCIC_ROOM_ID.test(target) || !Number.isSafeInteger(Number(target))) out.lcic = "not-a-room-id";
    else {
      const presences = a.presences.map((p) => ({
        id: p.id,
        userId: userOf(p.identity),
        start: p.start,
        end: p.end,
        reason: p.closedBy === "timeout" ? QuitReason.HeartbeatLost : QuitReason.Left,
      }));
      const media = a.media.map(
        (m): SourceMediaMark => ({ id: m.eventId, userId: userOf(m.identity), kind: `${MEDIA[m.media]}.${m.on ? "on" : "off"}`, at: m.at }),
      );
      out.lcic = await replaceSourcePresence(feeds.lcic, tx, app.appId, Number(target), key, presences, media);
    }
  }
  if (feeds.gme && app.products.includes("gme")) {
    const members = new Map<string, { userId: string; stays: { start: number; end: number | null }[]; lastAt: number }>();
    for (const p of a.presences) {
      const userId = userOf(p.identity);
      const m = members.get(userId) ?? { userId, stays: [], lastAt: 0 };
      m.stays.push({ start: p.start, end: p.end });
      m.lastAt = Math.max(m.lastAt, a.lastAt.get(p.identity) ?? 0);
      members.set(userId, m);
    }
    for (const m of members.values()) m.stays.sort((x, y) => x.start - y.start);
    out.gme = await replaceSourceMembers(feeds.gme, tx, app.appId, target, key, [...members.values()]);
  }
  return out;
}
