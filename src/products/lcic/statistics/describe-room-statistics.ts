// DescribeRoomStatistics (the seed): the statistics of an ended room, computed by the
// statistics job. Before the end: FailedOperation.RoomNotEnd; expired (never held):
// FailedOperation.ClassExpired; ended but not computed yet, or late events not yet
// included: ResourceUnavailable.RoomStatistics.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, RoomStatus } from "../rooms/rooms-store.ts";
import { memberRecordTexts, statsSummary } from "./stats-store.ts";

export const describeRoomStatistics = defineAction({
  name: "DescribeRoomStatistics",
  request: Type.Object({ RoomId: Type.Integer(), Page: Type.Integer({ minimum: 1 }), Limit: Type.Integer({ minimum: 1, maximum: 1000 }) }),
  async handler(req, ctx) {
    const db = ctx.db;
    const room = await ownRoom(ctx, req.RoomId);
    if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
    if (room.status !== RoomStatus.Ended) throw lcicErrors.roomNotEnd();
    const s = await statsSummary(db, room);
    if (!s || s.version < room.streamVersion) throw lcicErrors.statisticsPending();
    const from = (req.Page - 1) * req.Limit;
    const records = await memberRecordTexts(db, room, from, from + req.Limit);
    const x = s.summary;
    return {
      PeakMemberNumber: x.PeakMemberNumber,
      MemberNumber: x.MemberNumber,
      Total: x.Total,
      MemberRecords: records,
      RealStartTime: x.RealStartTime,
      RealEndTime: x.RealEndTime,
      MessageCount: x.MessageCount,
      MicCount: x.MicCount,
    };
  },
});
