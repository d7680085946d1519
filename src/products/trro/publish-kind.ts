// The "trro-publish" task kind of the agent protocol: a live publisher's reports.
//
//   started {}               publishing to every URL: queued → running; 401 Status 1 per URL
//   stopped {reason?}        publishing ended (asked by StopPublishLiveStream, or after
//                            MaxIdleTime without a device: reason "idle"): → done; 401 Status 3
//   failed  {code, message}  it cannot go on: → done; 401 Status 4 per URL
//
// The spec (StartPublishLiveStream's request) comes with the claim. A publisher that vanishes
// hands the task to another while attempts remain; then it is done (401 Status 4).
import { Type } from "@sinclair/typebox";
import { finishTask, type AgentKind, type AgentTask } from "../../agent/tasks.ts";
import { getTrroTask, PUBLISH_KIND, setTaskState } from "./task-store.ts";
import { PUBLISH_STATUS, publishCallbacks } from "./task-callbacks.ts";

const urls = (t: AgentTask): string[] => ((t.spec.PublishParams ?? []) as { PublishUrl: string }[]).map((p) => p.PublishUrl);
// The first picture's device: the UserId of the callbacks.
const firstDevice = (t: AgentTask): string =>
  (t.spec.VideoParams as { VideoList?: { DeviceId: string }[] })?.VideoList?.[0]?.DeviceId ?? "";

export const publishKind: AgentKind = {
  kind: PUBLISH_KIND,
  product: "trro",
  reports: {
    started: Type.Object({}, { additionalProperties: false }),
    stopped: Type.Object(
      { reason: Type.Optional(Type.Union([Type.Literal("user"), Type.Literal("idle")])) },
      { additionalProperties: false },
    ),
    failed: Type.Object(
      { code: Type.Union([Type.Integer(), Type.String({ maxLength: 64 })]), message: Type.String({ maxLength: 2000 }) },
      { additionalProperties: false },
    ),
  },
  async onReport(tx, agentTask, report, ctx) {
    const task = await getTrroTask(tx, agentTask.taskId, true);
    if (!task || task.state === "done") return;
    const at = report.time ?? ctx.clock.now();
    const e = { appId: task.app_id, taskId: task.task_id, userId: firstDevice(agentTask), at };
    switch (report.type) {
      case "started":
        if (task.started_at !== null) return;
        await setTaskState(tx, task.task_id, task.state === "queued" ? "running" : task.state, { startedAt: at });
        await publishCallbacks(ctx, tx, e, urls(agentTask), PUBLISH_STATUS.publishing);
        return;
      case "stopped":
      case "failed":
        await setTaskState(tx, task.task_id, "done", { stoppedAt: at });
        await finishTask(tx, task.app_id, task.task_id, ctx.clock.now());
        await publishCallbacks(ctx, tx, e, urls(agentTask), report.type === "stopped" ? PUBLISH_STATUS.stopped : PUBLISH_STATUS.failed);
        return;
    }
  },
  async onLeaseExpired(tx, agentTask, final, ctx) {
    if (!final) return;
    const task = await getTrroTask(tx, agentTask.taskId, true);
    if (!task || task.state === "done") return;
    const now = ctx.clock.now();
    await setTaskState(tx, task.task_id, "done", { stoppedAt: now });
    await publishCallbacks(
      ctx,
      tx,
      { appId: task.app_id, taskId: task.task_id, userId: firstDevice(agentTask), at: now },
      urls(agentTask),
      PUBLISH_STATUS.failed,
    );
  },
};
