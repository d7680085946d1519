// DescribeCurrentMemberList: who is in the room now ("房间结束或过期后无法使用"), with their
// records so far, computed from the stream as the statistics are (statistics.ts) with
// "now" as the horizon. Total is the current headcount; pages follow the UserId order.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, RoomStatus } from "./rooms-store.ts";
import { State } from "../statistics/statistics.ts";
import { computeStored } from "../statistics/statistics-job.ts";

export const describeCurrentMemberList = defineAction({
  name: "DescribeCurrentMemberList",
  request: Type.Object({ RoomId: Type.Integer(), Page: Type.Integer({ minimum: 1 }), Limit: Type.Integer({ minimum: 1, maximum: 1000 }) }),
  async handler(req, ctx) {
    const room = await ownRoom(ctx, req.RoomId);
    if (room.status === RoomStatus.Ended) throw lcicErrors.classEnded();
    if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
    const stats = await computeStored(ctx.db, room, ctx.clock.now());
    const online = stats.records.filter((r) => r.CurrentState === State.Online);
    const from = (req.Page - 1) * req.Limit;
    return { Total: online.length, MemberRecords: online.slice(from, from + req.Limit) };
  },
});
