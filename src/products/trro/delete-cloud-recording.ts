// DeleteCloudRecording: stops a recording (task-stop.ts). As the cloud says, the stop does
// not mean the files are uploaded: the recorder reports `stopped`, then `uploaded`, and the
// callbacks 302, 310 and 305 tell the receiver (record-kind.ts).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { stopTask } from "./task-stop.ts";
import { RECORD_KIND } from "./task-store.ts";

export const TaskId = Type.String({ minLength: 1, maxLength: 256 });

export const deleteCloudRecording = defineAction({
  name: "DeleteCloudRecording",
  request: Type.Object({ TaskId }),
  async handler(req, ctx) {
    await stopTask(ctx, req.TaskId, RECORD_KIND);
    return {};
  },
});
