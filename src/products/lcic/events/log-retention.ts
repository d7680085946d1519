// Retention of the room event log (lcic_room_events): a room's events go all together, once
// the room ended more than the window ago (ROOMLEDGER_ROOM_LOG_RETENTION_DAYS). Never
// before: its statistics are final (computed from the current stream version, so no
// statistics job still needs to read them) and the app's grace period for late events is
// over (after it, late events stay in the ingest log only and are not appended). What stays:
// the room, its statistics (DescribeRoomStatistics, DescribeRoomStatisticsMembers) and
// messages. GetRoomEvent then answers an empty list, as the cloud does from one hour after
// the class ("仅在课堂结束1小时内有效").
import type { RetentionRule } from "../../../storage/retention.ts";
import { RoomStatus } from "../rooms/rooms-store.ts";
import { DEFAULT_SETTINGS } from "../settings-store.ts";

/** Rooms whose log is taken in one batch at most (each with all its events, up to the batch's rows). */
const ROOMS_PER_BATCH = 100;

export const roomLogRetention: RetentionRule = {
  name: "lcic_room_events",
  window: "roomLogs",
  async deleteBatch(q, cutoff, limit, now) {
    const res = await q.query(
      `with expired as (
         select r.app_id, r.room_id from lcic_rooms r
         left join lcic_settings s on s.app_id = r.app_id
         left join lcic_room_stats st on st.app_id = r.app_id and st.room_id = r.room_id
         where r.status = any($3::smallint[])
           and coalesce(r.real_end, r.end_time) < $1
           and coalesce(r.real_end, r.end_time) + coalesce(s.statistics_grace_s, $4) * 1000 < $2
           and st.stats_version >= r.stream_version
           and exists (select 1 from lcic_room_events e where e.app_id = r.app_id and e.room_id = r.room_id)
         limit $5)
       delete from lcic_room_events where ctid = any(array(
         select e.ctid from lcic_room_events e join expired x on x.app_id = e.app_id and x.room_id = e.room_id limit $6))`,
      [cutoff, now, [RoomStatus.Ended, RoomStatus.Expired], DEFAULT_SETTINGS.statisticsGraceSeconds, ROOMS_PER_BATCH, limit],
    );
    return res.rowCount;
  },
};
