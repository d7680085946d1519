// Stopping a recording or publishing task (DeleteCloudRecording, StopPublishLiveStream): the
// request carries only the TaskId.
// - A TaskId that is unknown, of another account, or of the other kind: the value of TaskId
//   is wrong (InvalidParameterValue), one answer for all so ids cannot be probed.
// - A task already asked to stop, or over: FailedOperation (the stop cannot be done twice).
// - A task no worker holds yet is over at once (nothing was recorded or published, so no
//   callback); a held one stops when its worker learns it on its next heartbeat and reports.
import { ApiError } from "../../errors/api-error.ts";
import type { ActionContext } from "../../protocols/tencent/action.ts";
import { getTask, requestStop } from "../../agent/tasks.ts";
import { getTrroTask, setTaskState, type TrroTaskKind } from "./task-store.ts";

const taskNotFound = (taskId: string) =>
  new ApiError("InvalidParameterValue", {
    message: `The task \`${taskId}\` does not exist.`,
    messageZh: `任务 \`${taskId}\` 不存在。`,
  });

const taskEnded = (taskId: string) =>
  new ApiError("FailedOperation", {
    message: `The task \`${taskId}\` has already stopped or is stopping.`,
    messageZh: `任务 \`${taskId}\` 已停止或正在停止。`,
  });

export async function stopTask(ctx: ActionContext, taskId: string, kind: TrroTaskKind): Promise<void> {
  const found = await getTrroTask(ctx.db, taskId);
  if (!found || found.kind !== kind || (await ctx.tenancy.lookupApp(found.app_id, ctx.account.accountId)).kind !== "own") {
    throw taskNotFound(taskId);
  }
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    // The agent task first (the agent protocol's lock order), then ours.
    await getTask(tx, found.app_id, taskId, true);
    const task = await getTrroTask(tx, taskId, true);
    if (!task || (task.state !== "queued" && task.state !== "running")) throw taskEnded(taskId);
    const stop = await requestStop(tx, found.app_id, taskId, now);
    if (stop === null) throw taskEnded(taskId);
    await setTaskState(tx, taskId, stop === "done" ? "done" : "stopping", stop === "done" ? { stoppedAt: now } : {});
  });
}
