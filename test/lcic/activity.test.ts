// Class activity through the official SDK: quiz questions and answers, class ratings and
// playback views reported through the ingest API, read with DescribeQuestionList,
// DescribeAnswerList, DescribeScoreList and DescribePlayRecords; a batch with one bad event
// stores nothing; the documented errors.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import {
  createRoom,
  eventFactory,
  ingest,
  lcicApp,
  lcicClient,
  postEvents,
  serverNow,
  type LcicApp,
  type LcicClient,
} from "./lcic-support.ts";

for (const backend of backends()) {
  describe(`LCIC class activity (${backend})`, () => {
    let server: TestServer;
    let app: LcicApp;
    let c: LcicClient;
    let ann: string;
    let bob: string;
    let foreignClient: LcicClient;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "10000"] });
      app = await lcicApp(server);
      c = app.client;
      ann = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Ann" })).UserId!;
      bob = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Bob" })).UserId!;
      const foreign = await server.admin("POST", "/accounts", { name: "other school" });
      foreignClient = lcicClient(server, { secretId: foreign.secretId, secretKey: foreign.secretKey });
    });
    after(() => server.stop());

    test("questions and their answers: stats per option, the latest answer of a student, order-independent", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const ev = eventFactory(roomId, `qa-${roomId}`);
      const q1 = `7bd1e2cf-4291-447e-bd9d-${roomId}`;
      const q2 = `q2-${roomId}`;
      // Answers first, their question after, in one batch: the result does not depend on it.
      await ingest(server, app.ingestKey, [
        ev("lcic.question.answered", now + 100, ann, { QuestionId: q1, Answer: 8, CostTime: 10 }),
        ev("lcic.question.answered", now + 101, bob, { QuestionId: q1, Answer: 8, CostTime: 6 }),
        ev("lcic.question.asked", now + 90, "teacher", { QuestionId: q1, QuestionContent: "测试内容", CorrectAnswer: 8, OptionCount: 5 }),
        ev("lcic.question.asked", now + 200, "teacher", { QuestionId: q2, QuestionContent: "A and B?", CorrectAnswer: 3, Duration: 30 }),
        ev("lcic.question.answered", now + 150, ann), // a plain answer (statistics only)
      ]);
      // Ann changes her mind; a stale retry of her first answer changes nothing.
      await ingest(server, app.ingestKey, [ev("lcic.question.answered", now + 105, ann, { QuestionId: q1, Answer: 2, CostTime: 15 })]);
      await ingest(server, app.ingestKey, [
        {
          id: "late-stale",
          type: "lcic.question.answered",
          ctime: (now + 99) * 1000,
          data: { RoomId: roomId, UserId: ann, QuestionId: q1, Answer: 16 },
        },
        ev("lcic.question.answered", now + 210, bob, { QuestionId: q2, Answer: 3 }),
      ]);

      const all = await c.DescribeQuestionList({ RoomId: roomId });
      assert.equal(all.Total, 2);
      assert.deepEqual(all.QuestionInfo, [
        {
          QuestionId: q1,
          QuestionContent: "测试内容",
          Duration: 0,
          CorrectAnswer: 8,
          AnswerStats: [
            { Answer: 1, Count: 0 },
            { Answer: 2, Count: 1 },
            { Answer: 4, Count: 0 },
            { Answer: 8, Count: 1 },
            { Answer: 16, Count: 0 },
          ],
        },
        {
          QuestionId: q2,
          QuestionContent: "A and B?",
          Duration: 30,
          CorrectAnswer: 3,
          AnswerStats: [
            { Answer: 1, Count: 1 },
            { Answer: 2, Count: 1 },
            { Answer: 4, Count: 0 },
            { Answer: 8, Count: 0 },
          ],
        },
      ]);
      const second = await c.DescribeQuestionList({ RoomId: roomId, Page: 2, Limit: 1 });
      assert.equal(second.Total, 2);
      assert.deepEqual(
        second.QuestionInfo?.map((q) => q.QuestionId),
        [q2],
      );
      const beyond = await c.DescribeQuestionList({ RoomId: roomId, Page: 3, Limit: 1 });
      assert.equal(beyond.Total, 2);
      assert.equal(beyond.QuestionInfo, null);

      const answers = await c.DescribeAnswerList({ QuestionId: q1 });
      assert.equal(answers.Total, 2);
      assert.deepEqual(answers.AnswerInfo, [
        { Name: "Bob", Answer: 8, CostTime: 6, UserId: bob, IsCorrect: 1 },
        { Name: "Ann", Answer: 2, CostTime: 15, UserId: ann, IsCorrect: 0 },
      ]);
      const page = await c.DescribeAnswerList({ QuestionId: q1, Page: 2, Limit: 1 });
      assert.deepEqual(
        page.AnswerInfo?.map((a) => a.UserId),
        [ann],
      );
      const unknown = await c.DescribeAnswerList({ QuestionId: "no-such-question" });
      assert.equal(unknown.Total, 0);
      assert.equal(unknown.AnswerInfo, null);
      // Another account does not see the question.
      assert.equal((await foreignClient.DescribeAnswerList({ QuestionId: q1 })).Total, 0);
    });

    test("a room without questions: Total 0, QuestionInfo null", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const r = await c.DescribeQuestionList({ RoomId: roomId, Page: 1, Limit: 10 });
      assert.equal(r.Total, 0);
      assert.equal(r.QuestionInfo, null);
    });

    test("class ratings: one per member (the latest), in order, paged; none is Scores []", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60, { IsGradingRequiredPostClass: 1 });
      assert.deepEqual(await strip(c.DescribeScoreList({ RoomId: roomId })), { Total: 0, Scores: [] });
      const ev = eventFactory(roomId, `score-${roomId}`);
      await ingest(server, app.ingestKey, [
        ev("lcic.class.rated", now + 4000, ann, { Score: 3 }),
        ev("lcic.class.rated", now + 4100, bob, { Score: 5, ScoreMsg: "great" }),
        ev("lcic.class.rated", now + 4200, ann, { Score: 4, ScoreMsg: "better on reflection" }),
      ]);
      const r = await c.DescribeScoreList({ RoomId: roomId });
      assert.equal(r.Total, 2);
      assert.deepEqual(r.Scores, [
        { RoomId: roomId, UserId: bob, CreateTime: now + 4100, Score: 5, ScoreMsg: "great" },
        { RoomId: roomId, UserId: ann, CreateTime: now + 4200, Score: 4, ScoreMsg: "better on reflection" },
      ]);
      const p2 = await c.DescribeScoreList({ RoomId: roomId, Page: 2, Limit: 1 });
      assert.deepEqual(
        p2.Scores!.map((s) => s.UserId),
        [ann],
      );
    });

    test("playback views: window, user, paging, PageSize bounds", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const ev = eventFactory(roomId, `play-${roomId}`);
      const view = (atS: number, userId: string, extra: Record<string, unknown> = {}) =>
        ev("lcic.playback.viewed", atS + 100, userId, { PlayBeginTime: atS, PlayEndTime: atS + 96, ...extra });
      await ingest(server, app.ingestKey, [
        view(now + 10_000, ann, { SessionId: `${roomId}-1770184231997-1345`, Duration: 93_677 }),
        view(now + 20_000, bob),
        view(now + 30_000, ann),
      ]);
      const base = { SdkAppId: app.sdkAppId, RoomId: roomId, StartTime: now, EndTime: now + 40_000, Page: 1, PageSize: 20 };
      const all = await c.DescribePlayRecords(base);
      assert.equal(all.Total, 3);
      assert.deepEqual(all.Records![0], {
        RoomId: roomId,
        UserId: ann,
        SessionId: `${roomId}-1770184231997-1345`,
        PlayBeginTime: now + 10_000,
        PlayEndTime: now + 10_096,
        Duration: 93_677,
      });
      assert.equal(all.Records![1]!.Duration, 96_000); // default: end - begin
      const anns = await c.DescribePlayRecords({ ...base, UserId: ann });
      assert.equal(anns.Total, 2);
      const window = await c.DescribePlayRecords({ ...base, StartTime: now + 15_000, EndTime: now + 20_000 });
      assert.deepEqual(
        window.Records!.map((r) => r.UserId),
        [bob],
      );
      const paged = await c.DescribePlayRecords({ ...base, Page: 2, PageSize: 2 });
      assert.equal(paged.Total, 3);
      assert.equal(paged.Records!.length, 1);
      assert.equal((await sdkError(c.DescribePlayRecords({ ...base, PageSize: 201 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribePlayRecords({ ...base, PageSize: 0 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribePlayRecords({ ...base, EndTime: now - 1 }))).code, "InvalidParameter.EndTime");
      assert.equal((await sdkError(c.DescribePlayRecords({ ...base, SdkAppId: 1 }))).code, "InvalidParameter.SdkAppId");
      assert.equal((await sdkError(c.DescribePlayRecords({ ...base, RoomId: 1 }))).code, "ResourceNotFound.Room");
      const { Page: _p, ...noPage } = base;
      assert.equal((await sdkError(c.DescribePlayRecords(noPage as never))).code, "MissingParameter");
    });

    test("a batch with one bad event stores nothing (each kind of refusal)", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      const ev = eventFactory(roomId, `bad-${roomId}`);
      const good = [
        ev("lcic.question.asked", now + 90, "t", { QuestionId: `good-${roomId}`, QuestionContent: "?", CorrectAnswer: 1 }),
        ev("lcic.question.answered", now + 91, ann, { QuestionId: `good-${roomId}`, Answer: 1 }),
        ev("lcic.class.rated", now + 92, ann, { Score: 5 }),
        ev("lcic.playback.viewed", now + 93, ann, { PlayBeginTime: now, PlayEndTime: now + 1 }),
      ];
      const bads: [object, number, string][] = [
        [ev("lcic.question.answered", now + 95, bob, { QuestionId: "x" }), 400, "InvalidBatch"],
        [ev("lcic.question.answered", now + 95, bob, { Answer: 1 }), 400, "InvalidBatch"],
        [ev("lcic.question.asked", now + 95, "t", { QuestionId: "y", QuestionContent: "", CorrectAnswer: 16 }), 400, "InvalidBatch"],
        [
          ev("lcic.question.asked", now + 95, "t", { QuestionId: "y", QuestionContent: "", CorrectAnswer: 1, OptionCount: 27 }),
          400,
          "InvalidBatch",
        ],
        [ev("lcic.playback.viewed", now + 95, bob, { PlayBeginTime: now + 10, PlayEndTime: now }), 400, "InvalidBatch"],
        [ev("lcic.class.rated", now + 95, bob, { Score: 101 }), 400, "InvalidBatch"],
        [ev("lcic.class.rated", now + 95, bob, { Score: 1, Extra: 1 }), 400, "InvalidBatch"],
        [{ ...ev("lcic.class.rated", now + 95, bob, { Score: 1 }), data: { RoomId: 1, UserId: bob, Score: 1 } }, 400, "UnknownRoom"],
      ];
      for (const [bad, status, code] of bads) {
        const r = await postEvents(server, app.ingestKey, [...good, bad] as never);
        assert.equal(r.status, status, JSON.stringify(r.body));
        assert.equal(r.body.error.code, code, JSON.stringify(r.body));
      }
      assert.equal((await c.DescribeQuestionList({ RoomId: roomId })).Total, 0);
      assert.equal((await c.DescribeAnswerList({ QuestionId: `good-${roomId}` })).Total, 0);
      assert.equal((await c.DescribeScoreList({ RoomId: roomId })).Total, 0);
      const plays = { SdkAppId: app.sdkAppId, RoomId: roomId, StartTime: 0, EndTime: now + 10_000, Page: 1, PageSize: 10 };
      assert.equal((await c.DescribePlayRecords(plays)).Total, 0);
      // The good events alone go in (and the ids refused before were never taken).
      await ingest(server, app.ingestKey, good as never);
      assert.equal((await c.DescribeQuestionList({ RoomId: roomId })).Total, 1);
      assert.equal((await c.DescribeAnswerList({ QuestionId: `good-${roomId}` })).AnswerInfo![0]!.IsCorrect, 1);
      assert.equal((await c.DescribeScoreList({ RoomId: roomId })).Total, 1);
      assert.equal((await c.DescribePlayRecords(plays)).Total, 1);
    });

    test("errors of the room-scoped queries", async () => {
      const now = await serverNow(server);
      const roomId = await createRoom(app, now + 60);
      assert.equal((await sdkError(foreignClient.DescribeQuestionList({ RoomId: roomId }))).code, "ResourceNotFound.Room");
      assert.equal((await sdkError(foreignClient.DescribeScoreList({ RoomId: roomId }))).code, "ResourceNotFound.Room");
      assert.equal((await sdkError(c.DescribeQuestionList({ RoomId: 1 }))).code, "ResourceNotFound.Room");
      assert.equal((await sdkError(c.DescribeQuestionList({ RoomId: roomId, Limit: 101 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribeScoreList({ RoomId: roomId, Page: 0 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribeAnswerList({ QuestionId: "q", Limit: 1001 }))).code, "InvalidParameterValue");
      assert.equal((await sdkError(c.DescribeAnswerList({} as never))).code, "MissingParameter");
    });
  });
}

/** The answer without its RequestId. */
async function strip<T extends { RequestId?: string }>(p: Promise<T>): Promise<Omit<T, "RequestId">> {
  const { RequestId: _r, ...rest } = await p;
  return rest;
}
