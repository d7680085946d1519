// Voice-room presence as a media server saw it (src/sources/attendance computes it from the
// SFU's raw events), applied in the caller's transaction. The room's current members follow
// the same last-writer-wins rule as the ingest events (presence-store.ts), stamped with the
// member's latest source event, which only grows as events arrive. The history
// (DescribeUserInAndOutTime) is REPLACED for the source and room: a late event can merge two
// stays into one, which appended marks could never undo.
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { ID_PATTERN } from "./params.ts";
import { applyMemberChanges, type MemberChange } from "./presence-store.ts";
import { clearReoccupiedRooms } from "./task-store.ts";
import { noteEmptiedRooms } from "./empty-room-stop.ts";

export interface SourceMember {
  userId: string;
  stays: { start: number; end: number | null }[];
  /** The member's latest source event, Unix ms. */
  lastAt: number;
}

const ROOM = new RegExp(ID_PATTERN);
const USER = /^(?!0$)[\x21-\x2e\x30-\x7e]{1,127}$/;

/** Applies a room's members; returns "invalid-room" when the name cannot be a GME room id. */
export async function replaceSourceMembers(
  ctx: ProductContext,
  tx: Queryable,
  appId: string,
  roomId: string,
  /** Names the source and its room: the marks it replaces are those it wrote before. */
  feedKey: string,
  members: readonly SourceMember[],
): Promise<"applied" | "invalid-room"> {
  if (!ROOM.test(roomId)) return "invalid-room";
  const valid = members.filter((m) => USER.test(m.userId));
  const changes: MemberChange[] = valid.map((m) => ({
    roomId,
    userId: m.userId,
    presence: { inRoom: m.stays.at(-1)?.end === null, at: m.lastAt },
    audio: null,
  }));
  await applyMemberChanges(tx, appId, changes);
  await tx.query("delete from gme_presence_marks where app_id = $1 and room_id = $2 and source = $3", [appId, roomId, feedKey]);
  const marks = valid.flatMap((m) =>
    m.stays.flatMap((s) => [
      { userId: m.userId, at: s.start, inRoom: true },
      ...(s.end === null ? [] : [{ userId: m.userId, at: s.end, inRoom: false }]),
    ]),
  );
  if (marks.length > 0) {
    await tx.query(
      `insert into gme_presence_marks (app_id, room_id, user_id, at, in_room, source)
       select $1, $2, u, a, i, $3 from unnest($4::text[], $5::bigint[], $6::boolean[]) as x(u, a, i)`,
      [appId, roomId, feedKey, marks.map((m) => m.userId), marks.map((m) => m.at), marks.map((m) => m.inRoom)],
    );
  }
  if (changes.some((c) => c.presence?.inRoom)) await clearReoccupiedRooms(tx, appId, [roomId]);
  else if (changes.length > 0) await noteEmptiedRooms(tx, { appId }, [roomId], ctx);
  return "applied";
}
