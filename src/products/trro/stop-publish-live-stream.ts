// StopPublishLiveStream: stops a publishing task (task-stop.ts); its publisher confirms with
// `stopped` and the receiver gets 401 Status 3 per URL (publish-kind.ts).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { stopTask } from "./task-stop.ts";
import { PUBLISH_KIND } from "./task-store.ts";
import { TaskId } from "./delete-cloud-recording.ts";

export const stopPublishLiveStream = defineAction({
  name: "StopPublishLiveStream",
  request: Type.Object({ TaskId }),
  async handler(req, ctx) {
    await stopTask(ctx, req.TaskId, PUBLISH_KIND);
    return {};
  },
});
