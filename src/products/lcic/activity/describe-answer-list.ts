// DescribeAnswerList: the answers to one quiz question (lcic.question.answered with a
// QuestionId), in the order they were given, one per student (the latest answer of a
// student counts). IsCorrect is 1 when the answer is exactly the question's CorrectAnswer
// (every right option and no wrong one). Name is the user's registered name ("" for a
// user roomledger does not know). The request names no SdkAppId: the question is looked up
// in the caller's LCIC apps; an unknown question (or one whose lcic.question.asked has not
// arrived yet) has no answers: Total 0 and AnswerInfo null, the cloud documenting no
// not-found error here. Page from 1 (default 1), Limit default 100, at most 1000.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicAppIds } from "../apps.ts";
import { answersPage, questionById } from "./activity-store.ts";

export const describeAnswerList = defineAction({
  name: "DescribeAnswerList",
  request: Type.Object({
    QuestionId: Type.String({ maxLength: 128 }),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  async handler(req, ctx) {
    const question = await questionById(ctx.db, await lcicAppIds(ctx), req.QuestionId);
    if (!question) return { Total: 0, AnswerInfo: null };
    const limit = req.Limit ?? 100;
    const { total, answers } = await answersPage(ctx.db, question.appId, question.questionId, limit, ((req.Page ?? 1) - 1) * limit);
    return {
      Total: total,
      AnswerInfo:
        answers.length === 0
          ? null
          : answers.map((a) => ({
              Name: a.name,
              Answer: a.answer,
              CostTime: a.costTimeS,
              UserId: a.userId,
              IsCorrect: a.answer === question.correctAnswer ? 1 : 0,
            })),
    };
  },
});
