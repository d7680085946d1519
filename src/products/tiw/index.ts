// TIW (Tencent Interactive Whiteboard, `tiw` 2019-09-19): whiteboard push tasks. roomledger
// is their control plane: the actions create and stop tasks and describe them; push workers
// run them through the agent protocol (kind "tiw-push"); activity events keep them alive.
//
// Choices where the cloud is silent or cannot apply here:
// - The TIW docs mark `Region` required; we accept requests without it (the SDKs send it
//   only when configured, and a local emulator has one region).
// - ResourceUnavailable.ServiceExpired (arrears) is never answered: there is no billing.
// - Per-app limits (concurrent pushes, attempts per task) are the operator's, set through
//   /admin/v1/tiw/apps/:appId/push-settings (defaults 100 and 3).
import { join } from "node:path";
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

export const tiw: Product = {
  name: "tiw",
  migrations: join(import.meta.dirname, "migrations"),
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
    ],
    validationError: tiwValidationError,
  },
  events: [whiteboardActivityEvent, avUpstreamEvent],
  jobs: (ctx) => [autoStopJob(ctx)],
  agentKinds: [tiwPushKind],
  workerSimulators: { "tiw-push": tiwPushSimulator },
  adminRoutes: tiwAdminRoutes,
};
