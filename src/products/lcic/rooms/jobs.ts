// The jobs of LCIC rooms, all on the domain clock and idempotent: each re-reads the room
// and does nothing when its work is already done or no longer due (a moved schedule).
import type { JobType } from "../../../jobs/queue.ts";
import type { ProductContext } from "../../../product-context.ts";
import { scheduledEndMs } from "./room-config.ts";
import { AUTO_START_JOB, endRoom, expireRoom, SCHEDULED_END_JOB, startRoom, STATISTICS_JOB, type RoomJob } from "./room-lifecycle.ts";
import { roomById, RoomStatus } from "./rooms-store.ts";
import { refreshStatistics } from "../statistics/statistics-job.ts";

export function lcicJobs(ctx: ProductContext): JobType<RoomJob>[] {
  const { db, clock } = ctx;
  return [
    {
      name: AUTO_START_JOB,
      // EnableAutoStart: the class starts at its StartTime (the real start is the scheduled
      // time even if the job runs late, e.g. after a restart).
      async run({ roomId }) {
        await db.transaction(async (tx) => {
          const room = await roomById(tx, roomId, true);
          if (!room || room.status !== RoomStatus.NotStarted || room.config.EnableAutoStart !== 1) return;
          const at = room.config.StartTime * 1000;
          if (clock.now() < at) return; // moved later by ModifyRoom: its new job will come
          if (clock.now() >= scheduledEndMs(room.config)) return; // too late: the end job expires it
          await startRoom(ctx, tx, room, at);
        });
      },
    },
    {
      name: SCHEDULED_END_JOB,
      // At EndTime + EndDelayTime: a started room ends, one that never started expires.
      async run({ roomId }) {
        await db.transaction(async (tx) => {
          const room = await roomById(tx, roomId, true);
          if (!room) return;
          const at = scheduledEndMs(room.config);
          if (clock.now() < at) return;
          if (room.status === RoomStatus.Started) await endRoom(ctx, tx, room, at);
          else if (room.status === RoomStatus.NotStarted) await expireRoom(tx, room);
        });
      },
    },
    {
      name: STATISTICS_JOB,
      async run({ roomId }) {
        await refreshStatistics(db, roomId, () => clock.now());
      },
    },
  ];
}
