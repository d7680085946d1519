// TIW (Tencent Interactive Whiteboard, `tiw` 2019-09-19): whiteboard push, online recording,
// video generation and snapshot tasks. roomledger is their control plane: the actions create,
// stop and describe tasks; workers run them through the agent protocol (kinds "tiw-push",
// "tiw-record", ...); activity events keep pushes and recordings alive.
//
// Choices where the cloud is silent or cannot apply here:
// - The TIW docs mark `Region` required; we accept requests without it (the SDKs send it
//   only when configured, and a local emulator has one region).
// - ResourceUnavailable.ServiceExpired (arrears) is never answered: there is no billing.
// - Per-app limits (concurrent pushes, attempts per task) are the operator's, set through
//   /admin/v1/tiw/apps/:appId/push-settings (defaults 100 and 3).
import { fileURLToPath } from "node:url";
import type { Product } from "../product.ts";
import { startWhiteboardPush } from "./start-whiteboard-push.ts";
import { stopWhiteboardPush } from "./stop-whiteboard-push.ts";
import { describeWhiteboardPush } from "./describe-whiteboard-push.ts";
import { setWhiteboardPushCallback } from "./set-whiteboard-push-callback.ts";
import { setWhiteboardPushCallbackKey } from "./set-whiteboard-push-callback-key.ts";
import { describeWhiteboardPushCallback } from "./describe-whiteboard-push-callback.ts";
import { tiwValidationError } from "./errors.ts";
import { tiwPushKind } from "./push-agent-kind.ts";
import { tiwPushSimulator } from "./push-simulator.ts";
import { avUpstreamEvent, whiteboardActivityEvent } from "./activity-events.ts";
import { autoStopJob } from "./auto-stop-job.ts";
import { tiwAdminRoutes } from "./admin-routes.ts";
import { describeRunningTasks } from "./describe-running-tasks.ts";
import { startOnlineRecord } from "./start-online-record.ts";
import { stopOnlineRecord } from "./stop-online-record.ts";
import { pauseOnlineRecord } from "./pause-online-record.ts";
import { resumeOnlineRecord } from "./resume-online-record.ts";
import { describeOnlineRecord } from "./describe-online-record.ts";
import { setOnlineRecordCallback } from "./set-online-record-callback.ts";
import { setOnlineRecordCallbackKey } from "./set-online-record-callback-key.ts";
import { describeOnlineRecordCallback } from "./describe-online-record-callback.ts";
import { setWarningCallback } from "./set-warning-callback.ts";
import { describeWarningCallback } from "./describe-warning-callback.ts";
import { tiwRecordKind } from "./record-agent-kind.ts";
import { tiwRecordSimulator } from "./record-simulator.ts";
import { recordWatchdogJob } from "./record-watchdog-job.ts";
import { createVideoGenerationTask } from "./create-video-generation-task.ts";
import { describeVideoGenerationTask } from "./describe-video-generation-task.ts";
import { setVideoGenerationTaskCallback } from "./set-video-generation-task-callback.ts";
import { setVideoGenerationTaskCallbackKey } from "./set-video-generation-task-callback-key.ts";
import { describeVideoGenerationTaskCallback } from "./describe-video-generation-task-callback.ts";
import { tiwVideoGenerationKind } from "./video-generation-agent-kind.ts";
import { tiwVideoGenerationSimulator } from "./video-generation-simulator.ts";
import { createSnapshotTask } from "./create-snapshot-task.ts";
import { describeSnapshotTask } from "./describe-snapshot-task.ts";
import { tiwSnapshotKind } from "./snapshot-agent-kind.ts";
import { tiwSnapshotSimulator } from "./snapshot-simulator.ts";
import { snapshotCallbackJob } from "./snapshot-callback-job.ts";

export const tiw: Product = {
  name: "tiw",
  migrations: fileURLToPath(new URL("./migrations", import.meta.url)),
  tencent: {
    service: "tiw",
    version: "2019-09-19",
    actions: [
      startWhiteboardPush,
      stopWhiteboardPush,
      describeWhiteboardPush,
      setWhiteboardPushCallback,
      setWhiteboardPushCallbackKey,
      describeWhiteboardPushCallback,
      describeRunningTasks,
      startOnlineRecord,
      stopOnlineRecord,
      pauseOnlineRecord,
      resumeOnlineRecord,
      describeOnlineRecord,
      setOnlineRecordCallback,
      setOnlineRecordCallbackKey,
      describeOnlineRecordCallback,
      createVideoGenerationTask,
      describeVideoGenerationTask,
      setVideoGenerationTaskCallback,
      setVideoGenerationTaskCallbackKey,
      describeVideoGenerationTaskCallback,
      createSnapshotTask,
      describeSnapshotTask,
      setWarningCallback,
      describeWarningCallback,
    ],
    validationError: tiwValidationError,
  },
  events: [whiteboardActivityEvent, avUpstreamEvent],
  jobs: (ctx) => [autoStopJob(ctx), recordWatchdogJob(ctx), snapshotCallbackJob()],
  agentKinds: [tiwPushKind, tiwRecordKind, tiwVideoGenerationKind, tiwSnapshotKind],
  workerSimulators: {
    "tiw-push": tiwPushSimulator,
    "tiw-record": tiwRecordSimulator,
    "tiw-video-generation": tiwVideoGenerationSimulator,
    "tiw-snapshot": tiwSnapshotSimulator,
  },
  adminRoutes: tiwAdminRoutes,
};
