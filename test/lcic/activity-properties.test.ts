// Property tests on the boundaries of class activity and recording: any parameters to the
// 15 actions get an answer or a Tencent error (never InternalError); any batch of activity
// events with one bad event in it is refused whole and stores nothing; and the answers do
// not depend on the order or the batching in which the events arrive.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { commonClient } from "../support/tencent.ts";
import { createRoom, lcicApp, postEvents, serverNow, type Ev, type LcicApp } from "./lcic-support.ts";

const ACTIONS = [
  "DescribeQuestionList",
  "DescribeAnswerList",
  "DescribeScoreList",
  "DescribePlayRecords",
  "StartRecord",
  "StopRecord",
  "DescribeRecord",
  "DescribeRecordTask",
  "DescribeRecordStream",
  "DeleteRecord",
  "BatchDeleteRecord",
  "DescribePlaybackList",
  "DeletePlaybackItem",
  "GetPlaybackToken",
  "BatchGetPlaybackToken",
];
const FIELDS = [
  "RoomId",
  "RoomIds",
  "SdkAppId",
  "Page",
  "Limit",
  "PageSize",
  "QuestionId",
  "TaskId",
  "UserId",
  "StartTime",
  "EndTime",
  "ExpireSeconds",
];

describe("LCIC activity and recording boundaries (property tests)", () => {
  let server: TestServer;
  let app: LcicApp;
  let seq = 0;
  before(async () => {
    server = await startServer({ args: ["--rate-limit", "0"] });
    app = await lcicApp(server);
  });
  after(() => server.stop());

  test("any parameters to the activity and recording actions: an answer or a Tencent error, never InternalError", async () => {
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60);
    const started = await createRoom(app, now + 60, { DisableRecord: 2 });
    await app.client.StartRoom({ RoomId: started });
    const taskId = (await app.client.StartRecord({ SdkAppId: app.sdkAppId, RoomId: started })).TaskId!;
    const client = commonClient(server, "2022-08-17");
    const value = fc.oneof(
      fc.integer({ min: -5, max: 2_000_000_000 }),
      fc.constantFrom(app.sdkAppId, roomId, started, 0, 1, -1, 2 ** 53, 2 ** 64, 1.5, taskId, "q", ""),
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(fc.integer(), fc.constantFrom(roomId, started), fc.string({ maxLength: 3 })), { maxLength: 120 }),
      fc.record({ RoomId: fc.integer() }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTIONS),
        fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 7 }),
        async (action, params) => {
          try {
            const res = (await client.request(action, params)) as Record<string, unknown>;
            assert.ok(typeof res.RequestId === "string");
          } catch (err) {
            const e = err as { code?: string; message: string };
            assert.ok(e.code, `no Tencent error code: ${e.message}`);
            assert.notEqual(e.code, "InternalError", `${action} ${JSON.stringify(params)}: ${e.message}`);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  test("a batch with any bad activity event is refused whole and stores nothing", async () => {
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60);
    const t = now * 1000;
    const ev = (type: string, data: Record<string, unknown>): Ev => ({
      id: `p-${++seq}`,
      type,
      ctime: t,
      data: { RoomId: roomId, UserId: "u", ...data },
    });
    const goods = fc.constantFrom(
      () => ev("lcic.question.asked", { QuestionId: "gq", QuestionContent: "?", CorrectAnswer: 1 }),
      () => ev("lcic.question.answered", { QuestionId: "gq", Answer: 1, CostTime: 3 }),
      () => ev("lcic.question.answered", {}),
      () => ev("lcic.class.rated", { Score: 4 }),
      () => ev("lcic.playback.viewed", { PlayBeginTime: now, PlayEndTime: now + 5 }),
    );
    const envelope = (type: string, data: fc.Arbitrary<Record<string, unknown>>) =>
      fc.record({ id: fc.uuid(), type: fc.constant(type), ctime: fc.constant(t), data });
    const bad = fc.oneof(
      // A CorrectAnswer naming an option beyond those offered.
      fc.integer({ min: 1, max: 25 }).chain((n) =>
        envelope(
          "lcic.question.asked",
          fc.record({
            RoomId: fc.constant(roomId),
            UserId: fc.constant("t"),
            QuestionId: fc.string({ minLength: 1, maxLength: 10 }),
            QuestionContent: fc.string(),
            OptionCount: fc.constant(n),
            CorrectAnswer: fc.integer({ min: 2 ** n, max: 2 ** 26 - 1 }),
          }),
        ),
      ),
      // Quiz fields half given.
      envelope(
        "lcic.question.answered",
        fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("u"), QuestionId: fc.string({ minLength: 1, maxLength: 9 }) }),
      ),
      envelope("lcic.question.answered", fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("u"), Answer: fc.nat(2 ** 26 - 1) })),
      envelope("lcic.question.answered", fc.record({ RoomId: fc.constant(roomId), UserId: fc.constant("u"), CostTime: fc.nat(86_400) })),
      // Out of range, wrong types, unknown fields.
      envelope(
        "lcic.question.answered",
        fc.record({
          RoomId: fc.constant(roomId),
          UserId: fc.constant("u"),
          QuestionId: fc.constant("gq"),
          Answer: fc.oneof(fc.integer({ min: 2 ** 26 }), fc.integer({ max: -1 }), fc.string()),
        }),
      ),
      envelope(
        "lcic.class.rated",
        fc.record({
          RoomId: fc.constant(roomId),
          UserId: fc.constant("u"),
          // fc.double() also draws whole numbers in 0..100 (0 and -0 among them: JSON writes -0 as
          // 0), which are valid scores: only the others are bad.
          Score: fc.oneof(
            fc.integer({ min: 101 }),
            fc.integer({ max: -1 }),
            fc.double().filter((d) => !(Number.isInteger(d) && d >= 0 && d <= 100)),
            fc.string(),
          ),
        }),
      ),
      envelope(
        "lcic.class.rated",
        fc.record({
          RoomId: fc.constant(roomId),
          UserId: fc.constant("u"),
          Score: fc.constant(3),
          Extra: fc.jsonValue().filter((v) => v !== null),
        }),
      ),
      envelope(
        "lcic.question.asked",
        fc.record({
          RoomId: fc.constant(roomId),
          UserId: fc.constant("t"),
          QuestionId: fc.constant(""),
          QuestionContent: fc.string(),
          CorrectAnswer: fc.constant(1),
        }),
      ),
      envelope(
        "lcic.question.asked",
        fc.record({
          RoomId: fc.constant(roomId),
          UserId: fc.constant("t"),
          QuestionId: fc.constant("x"),
          QuestionContent: fc.string(),
          CorrectAnswer: fc.constant(1),
          OptionCount: fc.oneof(fc.constant(0), fc.integer({ min: 27 })),
        }),
      ),
      // A session that ends before it begins.
      fc.tuple(fc.nat(2 ** 31), fc.integer({ min: 1, max: 10_000 })).chain(([b, d]) =>
        envelope(
          "lcic.playback.viewed",
          fc.record({
            RoomId: fc.constant(roomId),
            UserId: fc.constant("u"),
            PlayBeginTime: fc.constant(b + d),
            PlayEndTime: fc.constant(b),
          }),
        ),
      ),
      // A room that is not the app's: refused in the transaction, after validation.
      fc.constantFrom("lcic.question.asked", "lcic.class.rated", "lcic.playback.viewed", "lcic.question.answered").chain((type) =>
        envelope(
          type,
          fc
            .constant({
              RoomId: 7,
              UserId: "u",
              QuestionId: "gq",
              QuestionContent: "",
              CorrectAnswer: 1,
              Answer: 1,
              Score: 1,
              PlayBeginTime: 1,
              PlayEndTime: 2,
            })
            .map((d) => pick(type, d)),
        ),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(goods, { maxLength: 6 }), bad, fc.nat(6), async (makers, badEvent, at) => {
        const batch: unknown[] = makers.map((m) => m());
        batch.splice(Math.min(at, batch.length), 0, badEvent);
        const r = await postEvents(server, app.ingestKey, batch as never);
        assert.equal(r.status, 400, JSON.stringify(r.body));
        assert.ok(r.body.error?.code === "InvalidBatch" || r.body.error?.code === "UnknownRoom", JSON.stringify(r.body));
      }),
      { numRuns: 200 },
    );
    const c = app.client;
    assert.equal((await c.DescribeQuestionList({ RoomId: roomId })).Total, 0, "nothing of a refused batch was stored");
    assert.equal((await c.DescribeAnswerList({ QuestionId: "gq" })).Total, 0);
    assert.equal((await c.DescribeScoreList({ RoomId: roomId })).Total, 0);
    const plays = await c.DescribePlayRecords({
      SdkAppId: app.sdkAppId,
      RoomId: roomId,
      StartTime: 0,
      EndTime: 2 ** 32 - 1,
      Page: 1,
      PageSize: 10,
    });
    assert.equal(plays.Total, 0);
  });

  test("any arrival order and batching of the same events gives the same answers", async () => {
    const students = ["s1", "s2", "s3"];
    const answer = fc.record({
      user: fc.constantFrom(...students),
      q: fc.constantFrom(0, 1),
      at: fc.nat(600),
      bits: fc.nat(15),
      cost: fc.nat(60),
    });
    const rating = fc.record({ user: fc.constantFrom(...students), at: fc.nat(600), score: fc.integer({ min: 1, max: 5 }) });
    const facts = fc.record({
      correct: fc.tuple(fc.nat(15), fc.nat(15)),
      answers: fc.uniqueArray(answer, { maxLength: 12, selector: (a) => `${a.user}/${a.q}/${a.at}` }),
      ratings: fc.uniqueArray(rating, { maxLength: 6, selector: (r) => `${r.user}/${r.at}` }),
    });
    await fc.assert(
      fc.asyncProperty(facts, fc.infiniteStream(fc.nat()), fc.integer({ min: 1, max: 5 }), async (f, randoms, chunk) => {
        const results: unknown[] = [];
        // The time of this run: a long (shrinking) run must not create rooms in the past.
        const now = await serverNow(server);
        for (const shuffled of [false, true]) {
          const roomId = await createRoom(app, now + 60);
          const qid = (i: number) => `q${i}-${roomId}`;
          const events: Ev[] = [
            ...f.correct.map((bits, i) => ({
              id: `a${i}`,
              type: "lcic.question.asked",
              ctime: (now + i) * 1000,
              data: { RoomId: roomId, UserId: "t", QuestionId: qid(i), QuestionContent: `Q${i}`, CorrectAnswer: bits },
            })),
            ...f.answers.map((a, i) => ({
              id: `b${i}`,
              type: "lcic.question.answered",
              ctime: (now + 10 + a.at) * 1000,
              data: { RoomId: roomId, UserId: a.user, QuestionId: qid(a.q), Answer: a.bits, CostTime: a.cost },
            })),
            ...f.ratings.map((r, i) => ({
              id: `c${i}`,
              type: "lcic.class.rated",
              ctime: (now + 10 + r.at) * 1000,
              data: { RoomId: roomId, UserId: r.user, Score: r.score },
            })),
          ].map((e) => ({ ...e, id: `${roomId}-${e.id}` }));
          const order = shuffled ? shuffle(events, randoms) : events;
          // Shuffled: in chunks, and each chunk sent twice (a retry) — the ids make it idempotent.
          for (let i = 0; i < order.length; i += shuffled ? chunk : order.length) {
            const part = order.slice(i, i + (shuffled ? chunk : order.length));
            for (let k = 0; k < (shuffled ? 2 : 1); k++) {
              const r = await postEvents(server, app.ingestKey, part);
              assert.equal(r.status, 200, JSON.stringify(r.body));
            }
          }
          const c = app.client;
          const qs = await c.DescribeQuestionList({ RoomId: roomId });
          const answers = await Promise.all([0, 1].map((i) => c.DescribeAnswerList({ QuestionId: qid(i) })));
          const scores = await c.DescribeScoreList({ RoomId: roomId, Limit: 100 });
          results.push({
            questions: qs.QuestionInfo?.map((q) => ({ ...q, QuestionId: q.QuestionId!.split("-")[0] })),
            answers: answers.map((a) => [a.Total, a.AnswerInfo]),
            scores: scores.Scores?.map(({ RoomId: _r, ...s }) => s),
          });
        }
        assert.deepEqual(results[1], results[0]);
      }),
      { numRuns: 12 },
    );
  });
});

/** The fields of one event type out of a bag of them. */
function pick(type: string, d: Record<string, unknown>): Record<string, unknown> {
  const keys: Record<string, string[]> = {
    "lcic.question.asked": ["QuestionId", "QuestionContent", "CorrectAnswer"],
    "lcic.class.rated": ["Score"],
    "lcic.playback.viewed": ["PlayBeginTime", "PlayEndTime"],
    "lcic.question.answered": ["QuestionId", "Answer"],
  };
  return Object.fromEntries(Object.entries(d).filter(([k]) => k === "RoomId" || k === "UserId" || keys[type]!.includes(k)));
}

function shuffle<T>(xs: readonly T[], randoms: Iterable<number>): T[] {
  const out = [...xs];
  const it = randoms[Symbol.iterator]();
  for (let i = out.length - 1; i > 0; i--) {
    const j = (it.next().value as number) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
