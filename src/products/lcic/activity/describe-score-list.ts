// DescribeScoreList: the class's ratings (lcic.class.rated, 课后评分), one per member (the
// latest counts), in the order they were given. CreateTime is the rating's time, Unix s.
// Page from 1 (default 1), Limit default 10 ("默认是10条"), at most 100. No ratings:
// Scores [] (the cloud's example), the model not allowing null here.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { ownRoom } from "../rooms/rooms-store.ts";
import { scoresPage } from "./activity-store.ts";

export const describeScoreList = defineAction({
  name: "DescribeScoreList",
  request: Type.Object({
    RoomId: Type.Integer(),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  }),
  async handler(req, ctx) {
    const room = await ownRoom(ctx, req.RoomId);
    const limit = req.Limit ?? 10;
    const { total, scores } = await scoresPage(ctx.db, room.appId, room.roomId, limit, ((req.Page ?? 1) - 1) * limit);
    return {
      Total: total,
      Scores: scores.map((s) => ({
        RoomId: s.roomId,
        UserId: s.userId,
        CreateTime: Math.floor(s.ratedAt / 1000),
        Score: s.score,
        ScoreMsg: s.scoreMsg,
      })),
    };
  },
});
