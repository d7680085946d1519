// DescribeRoomStatistics (the seed): the statistics of an ended room, computed by the
// statistics job. Before the end: FailedOperation.RoomNotEnd; expired (never held):
// FailedOperation.ClassExpired; ended but not computed yet, or late events not yet
// included: ResourceUnavailable.RoomStatistics.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicErrors } from "../errors.ts";
import { ownRoom, RoomStatus } from "../rooms/rooms-store.ts";
import type { RoomStatistics } from "./statistics.ts";

export const describeRoomStatistics = defineAction({
  name: "DescribeRoomStatistics",
  request: Type.Object({ RoomId: Type.Integer(), Page: Type.Integer({ minimum: 1 }), Limit: Type.Integer({ minimum: 1, maximum: 1000 }) }),
  async handler(req, ctx) {
    const db = ctx.db;
    const room = await ownRoom(ctx, req.RoomId);
    if (room.status === RoomStatus.Expired) throw lcicErrors.classExpired();
    if (room.status !== RoomStatus.Ended) throw lcicErrors.roomNotEnd();
    const summary = await db.query<{ stats_version: number; summary: Omit<RoomStatistics, "records"> }>(
      "select stats_version, summary from lcic_room_stats where app_id = $1 and room_id = $2",
      [room.appId, room.roomId],
    );
    const s = summary.rows[0];
    if (!s || Number(s.stats_version) < room.streamVersion) throw lcicErrors.statisticsPending();
    const from = (req.Page - 1) * req.Limit;
    const records = await db.query<{ record: unknown }>(
      "select record from lcic_member_stats where app_id = $1 and room_id = $2 and ord >= $3 and ord < $4 order by ord",
      [room.appId, room.roomId, from, from + req.Limit],
    );
    const x = s.summary;
    return {
      PeakMemberNumber: x.PeakMemberNumber,
      MemberNumber: x.MemberNumber,
      Total: x.Total,
      MemberRecords: records.rows.map((r) => r.record),
      RealStartTime: x.RealStartTime,
      RealEndTime: x.RealEndTime,
      MessageCount: x.MessageCount,
      MicCount: x.MicCount,
    };
  },
});
