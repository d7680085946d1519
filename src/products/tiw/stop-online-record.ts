// StopOnlineRecord: asks the recording to stop (FinishReason USER_CALL). A task no recorder
// holds finishes at once; otherwise its recorder learns it on its next heartbeat, confirms
// (STOPPED), uploads, and reports the result (FINISHED). A second stop is
// UnsupportedOperation.TaskHasAlreadyStopped.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { requestRecordStop } from "./record-transitions.ts";

export const stopOnlineRecord = defineAction({
  name: "StopOnlineRecord",
  request: Type.Object({ SdkAppId: Type.Integer(), TaskId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    // The action documents only UnauthorizedOperation.SdkAppId for an unknown app.
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    await ctx.db.transaction(async (tx) => {
      const outcome = await requestRecordStop(ctx, tx, app.appId, req.TaskId, "USER_CALL");
      if (outcome === "missing") throw tiwErrors.taskNotFound();
      if (outcome === "already-stopped") throw tiwErrors.taskHasAlreadyStopped();
    });
    return {};
  },
});
