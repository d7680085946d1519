// Members as a media server saw them (src/sources/attendance computes them from the SFU's
// raw events): LCIC's presence rows of one source in one room are REPLACED by the newly
// derived set, in the caller's transaction. Unlike the client app's own ingest events,
// which only ever add, a derived presence can change when a late event arrives (a reconnect
// merges two presences, an early join moves a start), so its rows are rewritten, and the
// statistics read them as they read every join and quit. Media marks (mic, camera) only add:
// they are counted, and a count of distinct events is the same whatever the order.
//
// Rows are told apart by their event id prefix (`src:<feed key>:`, the feed key naming the
// source and its room), which the client app's ids are not expected to use. The room's own rules apply as for ingest: the room must exist,
// an ended room takes them only within its grace period, a teacher's join starts it.
import type { ProductContext } from "../../../product-context.ts";
import type { Queryable } from "../../../storage/db.ts";
import { enqueueCallback, getCallbackSetting } from "../../../callbacks/tencent-callback.ts";
import { memberJoinCallback, memberQuitCallback, scheduleStatistics, startRoom } from "../rooms/room-lifecycle.ts";
import { bumpStreamVersion, lockRooms, RoomStatus } from "../rooms/rooms-store.ts";
import { settingsOf } from "../settings-store.ts";
import { appendEvents } from "./stream-store.ts";
import { Kind, QuitReason, type StreamEvent } from "./stream.ts";

export interface SourcePresence {
  /** Stable id of the presence (unique in the source and room). */
  id: string;
  userId: string;
  start: number;
  end: number | null;
  /** The quit's reason: 0 left, 4 connection lost (timed out). */
  reason: number;
}

export interface SourceMediaMark {
  id: string;
  userId: string;
  kind: "mic.on" | "mic.off" | "camera.on" | "camera.off" | "screen.on" | "screen.off";
  at: number;
}

const MEDIA_KIND: Record<SourceMediaMark["kind"], Kind> = {
  "mic.on": Kind.MicOn,
  "mic.off": Kind.MicOff,
  "camera.on": Kind.CameraOn,
  "camera.off": Kind.CameraOff,
  "screen.on": Kind.ScreenOn,
  "screen.off": Kind.ScreenOff,
};

export type SourcePresenceOutcome = "applied" | "unchanged" | "no-room" | "closed";

export async function replaceSourcePresence(
  ctx: ProductContext,
  tx: Queryable,
  appId: string,
  roomId: number,
  feedKey: string,
  presences: readonly SourcePresence[],
  media: readonly SourceMediaMark[],
): Promise<SourcePresenceOutcome> {
  const room = (await lockRooms(tx, appId, [roomId])).get(roomId);
  if (!room) return "no-room";
  const now = ctx.clock.now();
  if (room.status === RoomStatus.Ended) {
    const { statisticsGraceSeconds } = await settingsOf(tx, appId);
    if (now > (room.realEnd ?? 0) + statisticsGraceSeconds * 1000) return "closed";
  }
  if (room.status === RoomStatus.Expired) return "closed";
  const prefix = `src:${feedKey}:`;
  const wanted: StreamEvent[] = [];
  for (const p of presences) {
    wanted.push({ id: `${prefix}${p.id}:in`, kind: Kind.MemberJoined, ctime: p.start, userId: p.userId });
    if (p.end !== null)
      wanted.push({ id: `${prefix}${p.id}:out`, kind: Kind.MemberQuit, ctime: p.end, userId: p.userId, reason: p.reason });
  }
  const marks: StreamEvent[] = media.map((m) => ({ id: `${prefix}${m.id}`, kind: MEDIA_KIND[m.kind], ctime: m.at, userId: m.userId }));

  const existing = await tx.query<{ event_id: string; ctime: string; user_id: string; reason: number | null }>(
    `select event_id, ctime, user_id, reason from lcic_room_events
     where app_id = $1 and room_id = $2 and starts_with(event_id, $3) and kind = any($4::smallint[])`,
    [appId, roomId, prefix, [Kind.MemberJoined, Kind.MemberQuit]],
  );
  const same = (e: StreamEvent, r: { ctime: string; user_id: string; reason: number | null }) =>
    Number(r.ctime) === e.ctime && r.user_id === e.userId && (r.reason ?? null) === (e.reason ?? null);
  const had = new Map(existing.rows.map((r) => [r.event_id, r]));
  const stale = existing.rows.filter((r) => !wanted.some((e) => e.id === r.event_id && same(e, r))).map((r) => r.event_id);
  const added = wanted.filter((e) => !had.has(e.id) || !same(e, had.get(e.id)!));
  const newMarks = await unseen(tx, appId, roomId, marks);
  if (stale.length === 0 && added.length === 0 && newMarks.length === 0) return "unchanged";

  if (stale.length > 0) {
    await tx.query("delete from lcic_room_events where app_id = $1 and room_id = $2 and event_id = any($3::text[])", [
      appId,
      roomId,
      stale,
    ]);
  }
  await appendEvents(tx, appId, roomId, [...added, ...newMarks]);
  const teacherJoins = wanted.filter((e) => e.kind === Kind.MemberJoined && e.userId === room.config.TeacherId).map((e) => e.ctime);
  const firstTeacherJoin = teacherJoins.length > 0 ? Math.min(now, ...teacherJoins) : null;
  if (room.status === RoomStatus.NotStarted && firstTeacherJoin !== null) {
    if (await startRoom(ctx, tx, room, firstTeacherJoin)) await markStartedBySource(tx, appId, roomId);
  } else if (firstTeacherJoin !== null && room.realStart !== null && firstTeacherJoin < room.realStart) {
    // The teacher's earlier join arrived late. If the source's own join started the room, the
    // start moves back to it, so that the start does not depend on delivery order; a room
    // started otherwise (StartRoom, the client app) keeps its start. The mark on the start
    // says which: the join that started it may be gone since (a connection that turned out to
    // be aborted), and with it the only other evidence.
    const startedBySource =
      (await isStartedBySource(tx, appId, roomId)) ||
      existing.rows.some((r) => Number(r.ctime) === room.realStart && r.user_id === room.config.TeacherId && r.event_id.endsWith(":in"));
    if (startedBySource) await moveStart(tx, appId, roomId, firstTeacherJoin);
  }
  if (room.status === RoomStatus.Ended) {
    await bumpStreamVersion(tx, appId, roomId);
    await scheduleStatistics(ctx, tx, appId, roomId, now);
  }
  if ((await getCallbackSetting(tx, appId, "lcic")).url) {
    // Only what is new: a presence rewritten unchanged does not call back again.
    for (const e of added.filter((a) => !had.has(a.id))) {
      if (e.kind === Kind.MemberJoined) await enqueueCallback(ctx, tx, memberJoinCallback(appId, roomId, e));
      if (e.kind === Kind.MemberQuit) await enqueueCallback(ctx, tx, memberQuitCallback(appId, roomId, e));
    }
  }
  return "applied";
}

// The room-start row's `reason` (GetRoomEvent shows a reason only on a MemberQuit) marks a
// start made by a media server's join.
const STARTED_BY_SOURCE = 1;

async function markStartedBySource(tx: Queryable, appId: string, roomId: number): Promise<void> {
  await tx.query("update lcic_room_events set reason = $3 where app_id = $1 and room_id = $2 and event_id = 'roomledger:room-start'", [
    appId,
    roomId,
    STARTED_BY_SOURCE,
  ]);
}

async function isStartedBySource(tx: Queryable, appId: string, roomId: number): Promise<boolean> {
  const { rows } = await tx.query<{ reason: number | null }>(
    "select reason from lcic_room_events where app_id = $1 and room_id = $2 and event_id = 'roomledger:room-start'",
    [appId, roomId],
  );
  return rows[0]?.reason === STARTED_BY_SOURCE;
}

async function moveStart(tx: Queryable, appId: string, roomId: number, at: number): Promise<void> {
  await tx.query("update lcic_rooms set real_start = $3 where app_id = $1 and room_id = $2", [appId, roomId, at]);
  await tx.query("update lcic_room_events set ctime = $3 where app_id = $1 and room_id = $2 and event_id = 'roomledger:room-start'", [
    appId,
    roomId,
    at,
  ]);
}

/** The marks not stored yet (their ids are the source's event ids: stored once). */
async function unseen(tx: Queryable, appId: string, roomId: number, marks: StreamEvent[]): Promise<StreamEvent[]> {
  if (marks.length === 0) return [];
  const res = await tx.query<{ event_id: string }>(
    "select event_id from lcic_room_events where app_id = $1 and room_id = $2 and event_id = any($3::text[])",
    [appId, roomId, marks.map((m) => m.id)],
  );
  const stored = new Set(res.rows.map((r) => r.event_id));
  return marks.filter((m) => !stored.has(m.id));
}

export { QuitReason };
