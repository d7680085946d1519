// Tencent TRRO (remote real-time operation, `trro` 2022-03-25): projects, devices, sessions
// reported by the devices, and the session list, details, statistics and durations; access
// policies; cloud recording and live publishing run by workers on the agent protocol (kinds
// "trro-record" and "trro-publish"), with TRTC-style callbacks.
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { createProject } from "./create-project.ts";
import { describeProjectList } from "./describe-project-list.ts";
import { describeProjectInfo } from "./describe-project-info.ts";
import { modifyProject } from "./modify-project.ts";
import { deleteProject } from "./delete-project.ts";
import { createDevice } from "./create-device.ts";
import { describeDeviceList } from "./describe-device-list.ts";
import { describeDeviceInfo } from "./describe-device-info.ts";
import { modifyDevice } from "./modify-device.ts";
import { batchDeleteDevices } from "./batch-delete-devices.ts";
import { describeDeviceSessionList } from "./describe-device-session-list.ts";
import { describeDeviceSessionDetails } from "./describe-device-session-details.ts";
import { describeSessionStatistics } from "./describe-session-statistics.ts";
import { describeSessionStatisticsByInterval } from "./describe-session-statistics-by-interval.ts";
import { describeRecentSessionList } from "./describe-recent-session-list.ts";
import { getDevices } from "./get-devices.ts";
import { getTotalDuration } from "./get-total-duration.ts";
import { getDurationDetails } from "./get-duration-details.ts";
import { describePolicy } from "./describe-policy.ts";
import { modifyPolicy } from "./modify-policy.ts";
import { batchDeletePolicy } from "./batch-delete-policy.ts";
import { modifyProjectSecMode } from "./modify-project-sec-mode.ts";
import { modifyCallbackUrl } from "./modify-callback-url.ts";
import { createCloudRecording } from "./create-cloud-recording.ts";
import { deleteCloudRecording } from "./delete-cloud-recording.ts";
import { startPublishLiveStream } from "./start-publish-live-stream.ts";
import { stopPublishLiveStream } from "./stop-publish-live-stream.ts";
import { recordKind } from "./record-kind.ts";
import { publishKind } from "./publish-kind.ts";
import { trroRecordSimulator } from "./record-simulator.ts";
import { trroPublishSimulator } from "./publish-simulator.ts";
import { PUBLISH_KIND, RECORD_KIND } from "./task-store.ts";
import { trtcCallbackJob } from "../../callbacks/trtc-callback.ts";
import { reportEvents } from "./report-events.ts";
import { reportRoute } from "./report-routes.ts";
import { trroAdminRoutes } from "./admin-routes.ts";
import { silenceJob } from "./silence-job.ts";

export const trro: Product = {
  name: "trro",
  // A TRRO ProjectId is 16 lowercase alphanumerics, and a project is an app of its own.
  appIdShape: "lower-alnum-16",
  appAlone: true,
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  tencent: {
    service: "trro",
    version: "2022-03-25",
    actions: [
      createProject,
      describeProjectList,
      describeProjectInfo,
      modifyProject,
      deleteProject,
      createDevice,
      describeDeviceList,
      describeDeviceInfo,
      modifyDevice,
      batchDeleteDevices,
      describeDeviceSessionList,
      describeDeviceSessionDetails,
      describeSessionStatistics,
      describeSessionStatisticsByInterval,
      describeRecentSessionList,
      getDevices,
      getTotalDuration,
      getDurationDetails,
      describePolicy,
      modifyPolicy,
      batchDeletePolicy,
      modifyProjectSecMode,
      modifyCallbackUrl,
      createCloudRecording,
      deleteCloudRecording,
      startPublishLiveStream,
      stopPublishLiveStream,
    ],
  },
  events: reportEvents,
  // The TRTC-style callback delivery is registered here: TRRO is the only product sending
  // such callbacks (recording and publishing, task-callbacks.ts).
  jobs: (ctx) => [silenceJob(ctx), trtcCallbackJob(ctx)],
  agentKinds: [recordKind, publishKind],
  workerSimulators: { [RECORD_KIND]: trroRecordSimulator, [PUBLISH_KIND]: trroPublishSimulator },
  native: (ctx) => [reportRoute(ctx)],
  adminRoutes: trroAdminRoutes,
};
