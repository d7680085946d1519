// The ingest event types of LCIC: what the LCIC client app reports about a class. Each is
// stored in the generic event log (retries deduplicated by event id) and applied here, in
// the batch's transaction, to the room's stream (and messages), starting the room on the
// teacher's first entry and scheduling MemberJoin/MemberQuit callbacks.
//
// Rules:
// - An event for a room that does not exist in the app refuses the whole batch (400
//   UnknownRoom, nothing stored): a typo in a RoomId must not vanish silently.
// - Events for an ended room are accepted for the app's grace period after the end (they
//   make the statistics be computed again); later ones are kept in the ingest log only.
// - A join by the teacher (Role 1, or the room's TeacherId) starts a room that has not
//   started, at the join's time (not later than now).
import { Type, type TSchema } from "@sinclair/typebox";
import { ApiError } from "../../../errors/api-error.ts";
import { defineEventType, type IngestEvent, type IngestEventType } from "../../../ingest/event-type.ts";
import type { ProductContext } from "../../../product-context.ts";
import type { Queryable } from "../../../storage/db.ts";
import type { App } from "../../../tenancy/accounts.ts";
import { enqueueCallback, getCallbackSetting } from "../../../callbacks/tencent-callback.ts";
import { memberJoinCallback, memberQuitCallback, scheduleStatistics, startRoom } from "../rooms/room-lifecycle.ts";
import { bumpStreamVersion, lockRooms, RoomStatus } from "../rooms/rooms-store.ts";
import { appendEvents } from "./stream-store.ts";
import { Kind, QuitReason, type StreamEvent } from "./stream.ts";
import { settingsOf } from "../settings-store.ts";
import { insertMessages, type MessageItem } from "../messages/messages-store.ts";
import { activityEventTypes, answerFields, storeAnswers, type AnsweredData } from "../activity/activity-events.ts";

const RoomId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "the LCIC RoomId" });
const UserId = Type.String({ minLength: 1, maxLength: 128, description: "the LCIC UserId" });
const base = { RoomId, UserId };
const strict = { additionalProperties: false } as const;

interface Base {
  RoomId: number;
  UserId: string;
}

type ToStream<D> = (e: IngestEvent<D>) => StreamEvent;

/** `also` stores what a type carries beyond the stream, in the same transaction. */
type Also = (tx: Queryable, app: App, events: IngestEvent<any>[]) => Promise<void>;

function lcicEvent<S extends TSchema>(type: string, data: S, toStream: ToStream<any>, also?: Also): IngestEventType<S> {
  return defineEventType({
    type,
    product: "lcic",
    data,
    async apply(tx, app, events, ctx) {
      await applyEvents(tx, app, events as IngestEvent<Base>[], ctx, toStream);
      if (also) await also(tx, app, events as IngestEvent<any>[]);
    },
  });
}

const simple = (type: string, kind: Kind, description: string) =>
  lcicEvent(type, Type.Object(base, { ...strict, description }), (e) => ({
    id: e.id,
    kind,
    ctime: e.ctime,
    userId: (e.data as Base).UserId,
  }));

const Joined = Type.Object(
  {
    ...base,
    Role: Type.Optional(Type.Integer({ minimum: 0, maximum: 3, description: "0 student, 1 teacher, 2 assistant, 3 supervisor" })),
    Device: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 7, description: "0 unknown, 1 windows, 2 mac, 3 android, 4 ios, 5 web, 6 h5, 7 mini program" }),
    ),
    IPAddress: Type.Optional(Type.String({ maxLength: 64 })),
    Location: Type.Optional(Type.String({ maxLength: 256 })),
  },
  strict,
);

const Quit = Type.Object(
  {
    ...base,
    Reason: Type.Optional(
      Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(4)], {
        description: "0 left (default), 1 kicked, 2 kicked permanently, 4 heartbeat lost; 5 (room ended) is roomledger's own",
      }),
    ),
  },
  strict,
);

const Message = Type.Object(
  {
    ...base,
    Text: Type.Optional(Type.String({ maxLength: 12_000 })),
    ImageUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    Custom: Type.Optional(
      Type.Object({ Data: Type.Optional(Type.String()), Desc: Type.Optional(Type.String()), Ext: Type.Optional(Type.String()) }, strict),
    ),
  },
  strict,
);

export const lcicEventTypes: IngestEventType<any>[] = [
  lcicEvent("lcic.member.joined", Joined, (e) => {
    const d = e.data as Base & { Role?: number; Device?: number; IPAddress?: string; Location?: string };
    return {
      id: e.id,
      kind: Kind.MemberJoined,
      ctime: e.ctime,
      userId: d.UserId,
      role: d.Role ?? null,
      device: d.Device ?? null,
      ip: d.IPAddress ?? null,
      location: d.Location ?? null,
    };
  }),
  lcicEvent("lcic.member.quit", Quit, (e) => {
    const d = e.data as Base & { Reason?: number };
    return { id: e.id, kind: Kind.MemberQuit, ctime: e.ctime, userId: d.UserId, reason: d.Reason ?? QuitReason.Left };
  }),
  lcicEvent(
    "lcic.member.heartbeat_lost",
    Type.Object(base, { ...strict, description: "the member's client lost its connection (temporary drop)" }),
    (e) => ({
      id: e.id,
      kind: Kind.HeartbeatLost,
      ctime: e.ctime,
      userId: (e.data as Base).UserId,
      reason: QuitReason.HeartbeatLost,
    }),
  ),
  simple("lcic.camera.on", Kind.CameraOn, "the member turned the camera on"),
  simple("lcic.camera.off", Kind.CameraOff, "the member turned the camera off"),
  simple("lcic.mic.on", Kind.MicOn, "the member went on the mic (上麦)"),
  simple("lcic.mic.off", Kind.MicOff, "the member went off the mic (下麦)"),
  simple("lcic.screen.on", Kind.ScreenOn, "the member started sharing the screen"),
  simple("lcic.screen.off", Kind.ScreenOff, "the member stopped sharing the screen"),
  simple("lcic.stage.up", Kind.StageUp, "the member went on stage"),
  simple("lcic.stage.down", Kind.StageDown, "the member went off stage"),
  simple("lcic.hand.raised", Kind.HandRaised, "the member raised a hand"),
  // With QuestionId and Answer it is also a quiz answer (activity/, DescribeAnswerList).
  lcicEvent(
    "lcic.question.answered",
    Type.Object({ ...base, ...answerFields }, { ...strict, description: "the member answered a question" }),
    (e) => ({ id: e.id, kind: Kind.QuestionAnswered, ctime: e.ctime, userId: (e.data as Base).UserId }),
    (tx, app, events) => storeAnswers(tx, app, events as IngestEvent<AnsweredData>[]),
  ),
  simple("lcic.reward.given", Kind.RewardGiven, "the member was given a reward"),
  simple("lcic.member.muted", Kind.MemberMuted, "the teacher muted the member (禁言)"),
  simple("lcic.member.unmuted", Kind.MemberUnmuted, "the teacher unmuted the member"),
  lcicEvent("lcic.message.sent", Message, (e) => ({ id: e.id, kind: Kind.Message, ctime: e.ctime, userId: (e.data as Base).UserId })),
  ...activityEventTypes,
];

async function applyEvents(
  tx: Queryable,
  app: App,
  events: IngestEvent<Base>[],
  ctx: ProductContext,
  toStream: ToStream<Base>,
): Promise<void> {
  const roomIds = [...new Set(events.map((e) => e.data.RoomId))].sort((a, b) => a - b);
  const rooms = await lockRooms(tx, app.appId, roomIds);
  const missing = roomIds.filter((id) => !rooms.has(id));
  if (missing.length > 0) {
    throw new ApiError("UnknownRoom", {
      message: `room(s) ${missing.slice(0, 20).join(", ")} do not exist in app ${app.appId}; nothing was stored`,
      httpStatus: 400,
    });
  }
  const now = ctx.clock.now();
  const { statisticsGraceSeconds } = await settingsOf(tx, app.appId);
  const callbacks = Boolean((await getCallbackSetting(tx, app.appId, "lcic")).url);
  const byRoom = new Map<number, { stream: StreamEvent[]; raw: IngestEvent<Base>[] }>();
  for (const e of events) {
    const room = rooms.get(e.data.RoomId)!;
    if (room.status === RoomStatus.Ended && now > (room.realEnd ?? 0) + statisticsGraceSeconds * 1000) continue;
    let g = byRoom.get(room.roomId);
    if (!g) byRoom.set(room.roomId, (g = { stream: [], raw: [] }));
    g.stream.push(toStream(e));
    g.raw.push(e);
  }
  for (const [roomId, { stream, raw }] of byRoom) {
    const room = rooms.get(roomId)!;
    await appendEvents(tx, app.appId, roomId, stream);
    if (stream[0]!.kind === Kind.Message) await insertMessages(tx, app.appId, roomId, raw.map(messageOf));
    if (room.status === RoomStatus.NotStarted) {
      const teacherJoins = stream.filter((e) => e.kind === Kind.MemberJoined && (e.role === 1 || e.userId === room.config.TeacherId));
      if (teacherJoins.length > 0) await startRoom(ctx, tx, room, Math.min(now, ...teacherJoins.map((e) => e.ctime)));
    }
    if (room.status === RoomStatus.Ended) {
      await bumpStreamVersion(tx, app.appId, roomId);
      await scheduleStatistics(ctx, tx, app.appId, roomId, now);
    }
    if (callbacks) {
      for (const e of stream) {
        if (e.kind === Kind.MemberJoined) await enqueueCallback(ctx, tx, memberJoinCallback(app.appId, roomId, e));
        if (e.kind === Kind.MemberQuit || e.kind === Kind.HeartbeatLost)
          await enqueueCallback(ctx, tx, memberQuitCallback(app.appId, roomId, e));
      }
    }
  }
}

function messageOf(e: IngestEvent<Base>): { ctime: number; from: string; body: MessageItem[]; id: string } {
  const d = e.data as Base & { Text?: string; ImageUrl?: string; Custom?: { Data?: string; Desc?: string; Ext?: string } };
  const body: MessageItem[] = [];
  if (d.Text !== undefined) body.push({ MessageType: 0, TextMessage: d.Text });
  if (d.ImageUrl !== undefined) body.push({ MessageType: 1, ImageMessage: d.ImageUrl });
  if (d.Custom !== undefined)
    body.push({ MessageType: 2, CustomMessage: { Data: d.Custom.Data ?? "", Desc: d.Custom.Desc ?? "", Ext: d.Custom.Ext ?? "" } });
  return { id: e.id, ctime: e.ctime, from: d.UserId, body };
}
