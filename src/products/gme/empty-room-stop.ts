// The job that stops a recording when its room stayed empty (see room-events.ts). It
// re-checks when it runs: someone who came back keeps the recording going. Idempotent: a
// task that is no longer recording is left alone.
import type { JobType } from "../../jobs/queue.ts";
import type { Platform } from "../../platform.ts";
import { getTask, roomOccupied } from "./store.ts";
import { stopRecording } from "./task-lifecycle.ts";

export const EMPTY_ROOM_STOP_JOB = "gme.empty-room-stop";

export interface EmptyRoomStop {
  appId: string;
  roomId: string;
  taskId: number;
}

export function emptyRoomStopJob(platform: Platform): JobType<EmptyRoomStop> {
  return {
    name: EMPTY_ROOM_STOP_JOB,
    async run(p) {
      const task = await getTask(platform.db, p.appId, p.taskId);
      if (!task || task.state !== "recording") return;
      if (await roomOccupied(platform.db, p.appId, p.roomId)) return;
      await platform.db.transaction((tx) => stopRecording(tx, platform, p.appId, p.taskId, "room_empty"));
    },
  };
}
