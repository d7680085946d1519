// LCIC class activity: DescribeQuestionList, DescribeAnswerList, DescribeScoreList,
// DescribePlayRecords, on a class of their own whose quiz, ratings and playback views are
// reported through the ingest API. The official examples' request shapes are sent.
import { eventFactory, ingest, lcicApp, serverNow } from "../../lcic/lcic-support.ts";
import type { TestServer } from "../../support/server.ts";
import { cases, type ParityContext } from "../case.ts";

interface Activity {
  sdkAppId: number;
  roomId: number;
  questionId: string;
  student: string;
  now: number;
}

const built = new WeakMap<TestServer, Promise<Activity>>();

function activity(ctx: ParityContext): Promise<Activity> {
  let p = built.get(ctx.server);
  if (!p) {
    p = build(ctx);
    built.set(ctx.server, p);
  }
  return p;
}

async function build(ctx: ParityContext): Promise<Activity> {
  const app = await lcicApp(ctx.server);
  const teacher = (await ctx.call("RegisterUser", { SdkAppId: app.sdkAppId, Name: "Ms Quiz" })).UserId as string;
  const students = await Promise.all(
    ["Ann", "Bob"].map(async (Name) => (await ctx.call("RegisterUser", { SdkAppId: app.sdkAppId, Name })).UserId as string),
  );
  const [ann, bob] = students as [string, string];
  const now = await serverNow(ctx.server);
  const roomId = (
    await ctx.call("CreateRoom", {
      SdkAppId: app.sdkAppId,
      Name: "Quiz",
      StartTime: now + 60,
      EndTime: now + 3600,
      Resolution: 1,
      MaxMicNumber: 6,
      SubType: "videodoc",
      TeacherId: teacher,
      IsGradingRequiredPostClass: 1,
      DisableRecord: 1,
    })
  ).RoomId as number;
  const questionId = `7bd1e2cf-4291-447e-bd9d-${roomId}`;
  const ev = eventFactory(roomId, `parity-activity-${roomId}`);
  await ingest(ctx.server, app.ingestKey, [
    ev("lcic.question.asked", now + 10, teacher, { QuestionId: questionId, QuestionContent: "测试内容", CorrectAnswer: 8, OptionCount: 5 }),
    ev("lcic.question.answered", now + 20, ann, { QuestionId: questionId, Answer: 12, CostTime: 10 }),
    ev("lcic.question.answered", now + 21, bob, { QuestionId: questionId, Answer: 8, CostTime: 6 }),
    ev("lcic.class.rated", now + 30, ann, { Score: 5, ScoreMsg: "clear" }),
    ev("lcic.playback.viewed", now + 200, ann, {
      SessionId: `${roomId}-1770184231997-1345`,
      PlayBeginTime: now + 100,
      PlayEndTime: now + 196,
      Duration: 93_677,
    }),
  ]);
  return { sdkAppId: app.sdkAppId, roomId, questionId, student: ann, now };
}

export default cases([
  {
    action: "DescribeQuestionList",
    name: "the official example's request",
    async run(ctx) {
      const a = await activity(ctx);
      await ctx.call("DescribeQuestionList", { RoomId: a.roomId, Page: 1, Limit: 1 });
    },
    populated: [
      "Total",
      "QuestionInfo[].QuestionId",
      "QuestionInfo[].QuestionContent",
      "QuestionInfo[].Duration",
      "QuestionInfo[].CorrectAnswer",
      "QuestionInfo[].AnswerStats[].Answer",
      "QuestionInfo[].AnswerStats[].Count",
    ],
  },
  {
    action: "DescribeAnswerList",
    name: "the official example's request",
    async run(ctx) {
      const a = await activity(ctx);
      await ctx.call("DescribeAnswerList", { QuestionId: a.questionId, Page: 1, Limit: 100 });
    },
    populated: [
      "Total",
      "AnswerInfo[].Name",
      "AnswerInfo[].Answer",
      "AnswerInfo[].CostTime",
      "AnswerInfo[].UserId",
      "AnswerInfo[].IsCorrect",
    ],
  },
  {
    action: "DescribeScoreList",
    name: "the official example's request (RoomId only)",
    async run(ctx) {
      const a = await activity(ctx);
      await ctx.call("DescribeScoreList", { RoomId: a.roomId });
    },
    populated: ["Total", "Scores[].RoomId", "Scores[].UserId", "Scores[].CreateTime", "Scores[].Score", "Scores[].ScoreMsg"],
  },
  {
    action: "DescribePlayRecords",
    name: "the official example's request",
    async run(ctx) {
      const a = await activity(ctx);
      await ctx.call("DescribePlayRecords", {
        SdkAppId: a.sdkAppId,
        RoomId: a.roomId,
        StartTime: a.now,
        EndTime: a.now + 86_400,
        Page: 1,
        PageSize: 10,
        UserId: a.student,
      });
    },
    populated: [
      "Total",
      "Records[].RoomId",
      "Records[].UserId",
      "Records[].SessionId",
      "Records[].PlayBeginTime",
      "Records[].PlayEndTime",
      "Records[].Duration",
    ],
  },
]);
