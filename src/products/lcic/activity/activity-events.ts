// The ingest event types of class activity, as the LCIC client app reports them:
//
//   lcic.question.asked    the teacher put a quiz question (DescribeQuestionList)
//   lcic.question.answered a student answered; with QuestionId and Answer it is a quiz
//                          answer too (DescribeAnswerList) — declared in events/events.ts,
//                          which also counts it in the statistics (AnswerQuestions)
//   lcic.class.rated       a member rated the class (DescribeScoreList)
//   lcic.playback.viewed   a playback session of the class's recording (DescribePlayRecords)
//
// What the schema cannot say (an answer bit beyond the options, an end before a begin) is
// checked before anything is written: one bad event refuses the whole batch (400
// InvalidBatch naming it), as does an event for a room that is not the app's (UnknownRoom).
// Ratings and playback views come after the class, so, unlike the in-class events, they
// are kept whenever they arrive.
import { Type, type TSchema } from "@sinclair/typebox";
import { ApiError } from "../../../errors/api-error.ts";
import { InvalidBatchError } from "../../../errors/native.ts";
import { defineEventType, type IngestEvent, type IngestEventType } from "../../../ingest/event-type.ts";
import type { Queryable } from "../../../storage/db.ts";
import type { App } from "../../../tenancy/accounts.ts";
import { existingRooms, insertPlayRecords, insertQuestions, upsertAnswers, upsertScores } from "./activity-store.ts";

const RoomId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "the LCIC RoomId" });
const UserId = Type.String({ minLength: 1, maxLength: 128, description: "the LCIC UserId" });
const QuestionId = Type.String({ minLength: 1, maxLength: 128, description: "the client's id of the question (a UUID in LCIC's app)" });
/** Options A..Z are bits 0..25 of an answer. */
export const MAX_OPTIONS = 26;
const Bits = Type.Integer({ minimum: 0, maximum: 2 ** MAX_OPTIONS - 1, description: "options as bits: 1 = A, 2 = B, 3 = A and B ..." });
const strict = { additionalProperties: false } as const;

interface Base {
  RoomId: number;
  UserId: string;
}

export interface AskedData extends Base {
  QuestionId: string;
  QuestionContent: string;
  CorrectAnswer: number;
  OptionCount?: number;
  Duration?: number;
}

/** The optional quiz fields of lcic.question.answered (events/events.ts). */
export const answerFields = {
  QuestionId: Type.Optional(QuestionId),
  Answer: Type.Optional(Bits),
  CostTime: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: "seconds the student took" })),
};

export interface AnsweredData extends Base {
  QuestionId?: string;
  Answer?: number;
  CostTime?: number;
}

interface RatedData extends Base {
  Score: number;
  ScoreMsg?: string;
}

interface ViewedData extends Base {
  SessionId?: string;
  PlayBeginTime: number;
  PlayEndTime: number;
  Duration?: number;
}

const Asked = Type.Object(
  {
    RoomId,
    UserId,
    QuestionId,
    QuestionContent: Type.String({ maxLength: 4096 }),
    CorrectAnswer: Bits,
    OptionCount: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_OPTIONS, description: "options offered (default 4: A to D)" })),
    Duration: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: "countdown in seconds (0: none, the default)" })),
  },
  { ...strict, description: "the teacher asked a quiz question" },
);

const Rated = Type.Object(
  {
    RoomId,
    UserId,
    Score: Type.Integer({ minimum: 0, maximum: 100, description: "the rating (LCIC's app rates 1 to 5 stars)" }),
    ScoreMsg: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { ...strict, description: "a member rated the class (课后评分)" },
);

const UnixS = Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 });
const Viewed = Type.Object(
  {
    RoomId,
    UserId,
    SessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "the player's session id (default: the event id)" })),
    PlayBeginTime: UnixS,
    PlayEndTime: UnixS,
    Duration: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 42, description: "ms actually played (default: end - begin)" })),
  },
  { ...strict, description: "a playback session of the class's recording ended" },
);

const DEFAULT_OPTIONS = 4;

function refuse(bad: { id: string; reason: string }[]): never {
  throw new InvalidBatchError(`${bad.length} event(s) are invalid; nothing was stored`, bad);
}

/** Every room the events name must be the app's, else the whole batch is refused. */
export async function requireRooms(tx: Queryable, app: App, roomIds: readonly number[]): Promise<void> {
  const wanted = [...new Set(roomIds)];
  const found = await existingRooms(tx, app.appId, wanted);
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError("UnknownRoom", {
      message: `room(s) ${missing.slice(0, 20).join(", ")} do not exist in app ${app.appId}; nothing was stored`,
      httpStatus: 400,
    });
  }
}

/** Why an answered event's quiz fields are inconsistent, or null. */
export function answerProblem(d: AnsweredData): string | null {
  if (d.QuestionId === undefined && (d.Answer !== undefined || d.CostTime !== undefined)) return "Answer and CostTime need a QuestionId";
  if (d.QuestionId !== undefined && d.Answer === undefined) return "a QuestionId needs its Answer";
  return null;
}

/** Checks and stores the quiz answers among answered events (the stream is events.ts's). */
export async function storeAnswers(tx: Queryable, app: App, events: readonly IngestEvent<AnsweredData>[]): Promise<void> {
  const bad = events.flatMap((e) => {
    const why = answerProblem(e.data);
    return why ? [{ id: e.id, reason: why }] : [];
  });
  if (bad.length > 0) refuse(bad);
  const quiz = events.filter((e) => e.data.QuestionId !== undefined);
  await upsertAnswers(
    tx,
    app.appId,
    quiz.map((e) => ({
      questionId: e.data.QuestionId!,
      userId: e.data.UserId,
      roomId: e.data.RoomId,
      answer: e.data.Answer!,
      costTimeS: e.data.CostTime ?? 0,
      answeredAt: e.ctime,
    })),
  );
}

function activityEvent<S extends TSchema, D extends Base>(
  type: string,
  data: S,
  check: (d: D) => string | null,
  store: (tx: Queryable, app: App, events: IngestEvent<D>[]) => Promise<void>,
): IngestEventType<S> {
  return defineEventType({
    type,
    product: "lcic",
    data,
    async apply(tx, app, raw) {
      const events = raw as unknown as IngestEvent<D>[];
      const bad = events.flatMap((e) => {
        const why = check(e.data);
        return why ? [{ id: e.id, reason: why }] : [];
      });
      if (bad.length > 0) refuse(bad);
      await requireRooms(
        tx,
        app,
        events.map((e) => e.data.RoomId),
      );
      await store(tx, app, events);
    },
  });
}

export function questionProblem(d: AskedData): string | null {
  const options = d.OptionCount ?? DEFAULT_OPTIONS;
  if (d.CorrectAnswer >= 2 ** options) return `CorrectAnswer ${d.CorrectAnswer} names an option beyond the ${options} offered`;
  return null;
}

export const activityEventTypes: IngestEventType<any>[] = [
  activityEvent<typeof Asked, AskedData>("lcic.question.asked", Asked, questionProblem, (tx, app, events) =>
    insertQuestions(
      tx,
      app.appId,
      events.map((e) => ({
        questionId: e.data.QuestionId,
        roomId: e.data.RoomId,
        content: e.data.QuestionContent,
        durationS: e.data.Duration ?? 0,
        correctAnswer: e.data.CorrectAnswer,
        optionCount: e.data.OptionCount ?? DEFAULT_OPTIONS,
        askedAt: e.ctime,
      })),
    ),
  ),
  activityEvent<typeof Rated, RatedData>(
    "lcic.class.rated",
    Rated,
    () => null,
    (tx, app, events) =>
      upsertScores(
        tx,
        app.appId,
        events.map((e) => ({
          roomId: e.data.RoomId,
          userId: e.data.UserId,
          score: e.data.Score,
          scoreMsg: e.data.ScoreMsg ?? "",
          ratedAt: e.ctime,
        })),
      ),
  ),
  activityEvent<typeof Viewed, ViewedData>(
    "lcic.playback.viewed",
    Viewed,
    (d) => (d.PlayEndTime < d.PlayBeginTime ? "PlayEndTime is before PlayBeginTime" : null),
    (tx, app, events) =>
      insertPlayRecords(
        tx,
        app.appId,
        events.map((e) => ({
          roomId: e.data.RoomId,
          // The cloud's ids look like "<RoomId>-<begin ms>-<n>"; a player that sends none gets its event id.
          sessionId: e.data.SessionId ?? e.id,
          userId: e.data.UserId,
          beginS: e.data.PlayBeginTime,
          endS: e.data.PlayEndTime,
          durationMs: e.data.Duration ?? (e.data.PlayEndTime - e.data.PlayBeginTime) * 1000,
        })),
      ),
  ),
];
