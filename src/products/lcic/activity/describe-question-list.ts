// DescribeQuestionList: the room's quiz questions (lcic.question.asked), in the order they
// were asked, each with the number of answers that chose each option: one AnswerStat per
// option offered, Answer being the option's bit (1 = A, 2 = B, 4 = C ...), as the cloud's
// example lists them (Count 0 included). Page from 1 (default 1); Limit default 20, at
// most 100 (the cloud documents neither). An empty page is QuestionInfo null, the model
// allowing it (a Go nil slice, as the cloud renders empty lists it marks nullable).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { questionsPage } from "./activity-store.ts";

export const describeQuestionList = defineAction({
  name: "DescribeQuestionList",
  request: Type.Object({
    RoomId: Type.Integer(),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  }),
  async handler(req, ctx) {
    const room = await ownRoom(ctx, req.RoomId);
    const limit = req.Limit ?? 20;
    const { total, questions } = await questionsPage(ctx.db, room.appId, room.roomId, limit, ((req.Page ?? 1) - 1) * limit);
    return {
      Total: total,
      QuestionInfo:
        questions.length === 0
          ? null
          : questions.map((q) => ({
              QuestionId: q.questionId,
              QuestionContent: q.content,
              Duration: q.durationS,
              CorrectAnswer: q.correctAnswer,
              AnswerStats: q.optionCounts.map((count, i) => ({ Answer: 2 ** i, Count: count })),
            })),
    };
  },
});
