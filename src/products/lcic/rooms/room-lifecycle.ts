// Room transitions: start (StartRoom, the teacher's first entry, auto start), end (EndRoom,
// the scheduled end), expiry. Each runs inside the caller's transaction, appends the room's
// own events to its stream, schedules the callbacks and the follow-up jobs.
import type { ProductContext } from "../../../product-context.ts";
import type { Queryable } from "../../../storage/db.ts";
import { enqueueCallback, getCallbackSetting } from "../../../callbacks/tencent-callback.ts";
import { scheduledEndMs, type RoomConfig } from "./room-config.ts";
import { type Room, markEnded, markExpired, markStarted } from "./rooms-store.ts";
import { appendEvents, onlineMembers } from "../events/stream-store.ts";
import { Kind, QuitReason, type StreamEvent } from "../events/stream.ts";
import { settingsOf } from "../settings-store.ts";
import { onClassEnded, onClassStarted } from "../recording/record-lifecycle.ts";

export const AUTO_START_JOB = "lcic.room.auto-start";
export const SCHEDULED_END_JOB = "lcic.room.scheduled-end";
export const STATISTICS_JOB = "lcic.room.statistics";

export interface RoomJob {
  appId: string;
  roomId: number;
}

/** (Re)schedules a room's automatic start and end after a create or a modify. */
export async function scheduleRoom(ctx: ProductContext, tx: Queryable, appId: string, roomId: number, config: RoomConfig): Promise<void> {
  const payload: RoomJob = { appId, roomId };
  if (config.EnableAutoStart === 1) {
    await ctx.jobs.enqueue(AUTO_START_JOB, payload, {
      tx,
      runAt: config.StartTime * 1000,
      singletonKey: `${AUTO_START_JOB}:${roomId}`,
      replace: true,
    });
  }
  await ctx.jobs.enqueue(SCHEDULED_END_JOB, payload, {
    tx,
    runAt: scheduledEndMs(config),
    singletonKey: `${SCHEDULED_END_JOB}:${roomId}`,
    replace: true,
  });
}

/** Starts a room that has not started; returns false when it already had. */
export async function startRoom(ctx: ProductContext, tx: Queryable, room: Room, at: number): Promise<boolean> {
  if (!(await markStarted(tx, room, at))) return false;
  await appendEvents(tx, room.appId, room.roomId, [{ id: "roomledger:room-start", kind: Kind.RoomStarted, ctime: at, userId: "" }]);
  await enqueueCallback(ctx, tx, { appId: room.appId, product: "lcic", eventType: "RoomStart", eventData: { RoomId: room.roomId } });
  await onClassStarted(ctx, tx, room);
  return true;
}

/**
 * Ends a started room (or one that never started, which then has no RealStartTime): every
 * member still online is quit with reason 5 at the end, the room's end is appended, and the
 * statistics job is scheduled after the app's settle delay.
 */
export async function endRoom(ctx: ProductContext, tx: Queryable, room: Room, at: number): Promise<boolean> {
  if (!(await markEnded(tx, room, at))) return false;
  const online = await onlineMembers(tx, room.appId, room.roomId);
  const quits: StreamEvent[] = online.map((m) => ({
    id: `roomledger:end-quit:${m.userId}`,
    kind: Kind.MemberQuit,
    ctime: at,
    userId: m.userId,
    role: m.role,
    reason: QuitReason.RoomEnded,
  }));
  await appendEvents(tx, room.appId, room.roomId, [...quits, { id: "roomledger:room-end", kind: Kind.RoomEnded, ctime: at, userId: "" }]);
  if ((await getCallbackSetting(tx, room.appId, "lcic")).url) {
    for (const q of quits) await enqueueCallback(ctx, tx, memberQuitCallback(room.appId, room.roomId, q));
    await enqueueCallback(ctx, tx, { appId: room.appId, product: "lcic", eventType: "RoomEnd", eventData: { RoomId: room.roomId } });
  }
  await scheduleStatistics(ctx, tx, room.appId, room.roomId, at);
  await onClassEnded(ctx, tx, room);
  return true;
}

/** A room that never started is expired at its scheduled end. */
export async function expireRoom(tx: Queryable, room: Room): Promise<boolean> {
  return markExpired(tx, room);
}

/** Schedules (or re-schedules, after late events) the statistics of an ended room. */
export async function scheduleStatistics(ctx: ProductContext, tx: Queryable, appId: string, roomId: number, from: number): Promise<void> {
  const { statisticsDelaySeconds } = await settingsOf(tx, appId);
  const payload: RoomJob = { appId, roomId };
  await ctx.jobs.enqueue(STATISTICS_JOB, payload, {
    tx,
    runAt: Math.max(from, ctx.clock.now()) + statisticsDelaySeconds * 1000,
    singletonKey: `${STATISTICS_JOB}:${roomId}`,
  });
}

export function memberQuitCallback(appId: string, roomId: number, e: StreamEvent) {
  const data: Record<string, unknown> = { RoomId: roomId, UserId: e.userId, Reason: e.reason ?? 0 };
  if (e.role !== null && e.role !== undefined) data.Role = e.role;
  return { appId, product: "lcic", eventType: "MemberQuit", eventData: data };
}

export function memberJoinCallback(appId: string, roomId: number, e: StreamEvent) {
  const data: Record<string, unknown> = { RoomId: roomId, UserId: e.userId, Device: e.device ?? 0 };
  if (e.role !== null && e.role !== undefined) data.Role = e.role;
  return { appId, product: "lcic", eventType: "MemberJoin", eventData: data };
}
