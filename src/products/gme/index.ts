// Tencent GME (game voice, 2018-07-11): server-side recording of voice rooms. StartRecord /
// StopRecord / ModifyRecordInfo / DescribeTaskInfo / DescribeRecordInfo; CreateApp,
// DescribeApplicationList and ModifyAppStatus to own a BizId; the voice rooms themselves
// (DescribeRoomInfo, DescribeUserInAndOutTime, DeleteRoomMember, ModifyUserMicStatus) from
// presence ingest events; recorders through the worker agent protocol (kind "gme-record")
// with a simulated recorder.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { createApp } from "./create-app.ts";
import { presenceRetention } from "./presence-history.ts";
import { describeApplicationList } from "./describe-application-list.ts";
import { startRecord } from "./start-record.ts";
import { stopRecord } from "./stop-record.ts";
import { modifyRecordInfo } from "./modify-record-info.ts";
import { describeTaskInfo } from "./describe-task-info.ts";
import { describeRecordInfo } from "./describe-record-info.ts";
import { describeRoomInfo } from "./describe-room-info.ts";
import { describeUserInAndOutTime } from "./describe-user-in-and-out-time.ts";
import { deleteRoomMember } from "./delete-room-member.ts";
import { modifyUserMicStatus } from "./modify-user-mic-status.ts";
import { modifyAppStatus } from "./modify-app-status.ts";
import { roomEvents } from "./room-events.ts";
import { recorderKind } from "./recorder-kind.ts";
import { recorderRoute } from "./recorder-routes.ts";
import { gmeRecorderSimulator } from "./recorder-simulator.ts";
import { emptyRoomStopJob } from "./empty-room-stop.ts";
import { gmeAdminRoutes } from "./admin-routes.ts";
import { RECORD_KIND } from "./task-lifecycle.ts";

const here = dirname(fileURLToPath(import.meta.url));

export const gme: Product = {
  name: "gme",
  migrations: join(here, "migrations"),
  tencent: {
    service: "gme",
    version: "2018-07-11",
    actions: [
      createApp,
      describeApplicationList,
      modifyAppStatus,
      startRecord,
      stopRecord,
      modifyRecordInfo,
      describeTaskInfo,
      describeRecordInfo,
      describeRoomInfo,
      describeUserInAndOutTime,
      deleteRoomMember,
      modifyUserMicStatus,
    ],
  },
  events: roomEvents,
  agentKinds: [recorderKind],
  workerSimulators: { [RECORD_KIND]: gmeRecorderSimulator },
  retention: [presenceRetention],
  jobs: (ctx) => [emptyRoomStopJob(ctx)],
  native: (ctx) => [recorderRoute(ctx)],
  adminRoutes: gmeAdminRoutes,
};
