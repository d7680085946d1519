// Ingest events that tell who is in a GME voice room and who sends audio:
//   gme.user.entered / gme.user.left / gme.audio.started / gme.audio.stopped
// with data {roomId, userId}. The cloud learns this from its own client SDKs; here the
// game's voice server (or its SDK hooks) reports it. Leaving also stops a user's audio;
// sending audio implies being in the room. Events apply by their ctime, so a late or
// reordered event never rolls a member back.
//
// When a room with a recording task empties, the task notes since when, and a job stops the
// recording after the app's `emptyRoomStopSeconds` (default 60; null never) unless someone
// came back by then (which clears the note). Each emptying has its own job, which decides
// from the note: no job is ever moved, so none can be lost while it runs.
import { Type, type Static } from "@sinclair/typebox";
import { defineEventType, type IngestEvent } from "../../ingest/event-type.ts";
import { ID_PATTERN } from "./params.ts";
import { applyMemberChanges, type MemberChange } from "./presence-store.ts";
import { logPresenceMarks } from "./presence-history.ts";
import { clearReoccupiedRooms } from "./task-store.ts";
import { noteEmptiedRooms } from "./empty-room-stop.ts";

const MemberData = Type.Object(
  {
    roomId: Type.String({ pattern: ID_PATTERN, description: "GME room id, 1-127 printable ASCII, no '/'" }),
    // "0" names the mixed stream in RecordInfo, so it cannot be a user.
    userId: Type.String({ pattern: "^(?!0$)[\\x21-\\x2e\\x30-\\x7e]{1,127}$", description: 'user id (openid), not "0"' }),
  },
  { additionalProperties: false },
);
type Member = Static<typeof MemberData>;

type Kind = "entered" | "left" | "audio.started" | "audio.stopped";

/** Folds a type's events into one change per member: the latest of each half wins. */
function fold(kind: Kind, events: IngestEvent<Member>[]): MemberChange[] {
  const byMember = new Map<string, MemberChange>();
  const sorted = [...events].sort((a, b) => a.ctime - b.ctime);
  for (const e of sorted) {
    const key = `${e.data.roomId}\u0000${e.data.userId}`;
    const c = byMember.get(key) ?? { roomId: e.data.roomId, userId: e.data.userId, presence: null, audio: null };
    if (kind === "entered" || kind === "audio.started") c.presence = { inRoom: true, at: e.ctime };
    if (kind === "left") c.presence = { inRoom: false, at: e.ctime };
    if (kind === "left" || kind === "audio.stopped") c.audio = { sending: false, at: e.ctime };
    if (kind === "audio.started") c.audio = { sending: true, at: e.ctime };
    byMember.set(key, c);
  }
  return [...byMember.values()];
}

function memberEvent(kind: Kind, type: string) {
  return defineEventType({
    type,
    product: "gme",
    data: MemberData,
    async apply(tx, app, events, ctx) {
      const changes = fold(kind, events);
      await applyMemberChanges(tx, app.appId, changes);
      // Every event that says where a user is goes to the history, unfolded (DescribeUserInAndOutTime).
      if (kind !== "audio.stopped") {
        const inRoom = kind !== "left";
        await logPresenceMarks(
          tx,
          app.appId,
          events.map((e) => ({ roomId: e.data.roomId, userId: e.data.userId, at: e.ctime, inRoom })),
        );
      }
      const rooms = [...new Set(changes.map((c) => c.roomId))];
      if (kind === "left") await noteEmptiedRooms(tx, app, rooms, ctx);
      if (kind === "entered" || kind === "audio.started") await clearReoccupiedRooms(tx, app.appId, rooms);
    },
  });
}

export const roomEvents = [
  memberEvent("entered", "gme.user.entered"),
  memberEvent("left", "gme.user.left"),
  memberEvent("audio.started", "gme.audio.started"),
  memberEvent("audio.stopped", "gme.audio.stopped"),
];
