// The "tiw-snapshot" task kind of the agent protocol: what a snapshot worker reports.
//
//   snapshot {url}             one more image (at a client's addSnapshotMark)
//   finished {}                the room is over: Finished, ErrorCode "OK"
//   failed   {code, message}   Finished with the error (the images made so far kept)
// A worker lost is replaced (the images so far kept); when every attempt is used, the task
// is Finished with roomledger's worker-lost error.
import { Type } from "@sinclair/typebox";
import type { ProductContext } from "../../product-context.ts";
import type { Queryable } from "../../storage/db.ts";
import { finishTask, type AgentKind } from "../../agent/tasks.ts";
import { lockSnapshot, saveSnapshot } from "./snapshot-store.ts";
import { SNAPSHOT_OK, type SnapshotTask } from "./snapshot-task.ts";
import { enqueueSnapshotCallback } from "./snapshot-callback-job.ts";
import { WORKER_LOST_CODE } from "./push-agent-kind.ts";
import { messageTime } from "./push-task.ts";

export const TIW_SNAPSHOT_KIND = "tiw-snapshot";

async function finish(ctx: ProductContext, tx: Queryable, t: SnapshotTask, at: number, error: { code: string; message: string } | null) {
  await finishTask(tx, t.appId, t.taskId, ctx.clock.now());
  const done: SnapshotTask = {
    ...t,
    status: "Finished",
    errorCode: error ? error.code : SNAPSHOT_OK,
    errorMessage: error ? error.message : "",
    finishedAt: at,
  };
  await saveSnapshot(tx, done);
  await enqueueSnapshotCallback(ctx, tx, done);
}

export const tiwSnapshotKind: AgentKind = {
  kind: TIW_SNAPSHOT_KIND,
  product: "tiw",
  reports: {
    snapshot: Type.Object({ url: Type.String({ minLength: 1, maxLength: 2048 }) }, { additionalProperties: false }),
    finished: Type.Object({}, { additionalProperties: false }),
    failed: Type.Object(
      { code: Type.Union([Type.Integer(), Type.String({ minLength: 1, maxLength: 64 })]), message: Type.String({ maxLength: 2000 }) },
      { additionalProperties: false },
    ),
  },

  async onReport(tx, agentTask, report, ctx) {
    const task = await lockSnapshot(tx, agentTask.appId, agentTask.taskId);
    if (!task || task.status === "Finished") return;
    const at = report.time ?? ctx.clock.now();
    const data = (report.data ?? {}) as Record<string, unknown>;
    switch (report.type) {
      case "snapshot":
        await saveSnapshot(tx, { ...task, snapshots: [...task.snapshots, String(data.url)] });
        return;
      case "finished":
        await finish(ctx, tx, task, at, null);
        return;
      case "failed":
        await finish(ctx, tx, task, at, { code: String(data.code), message: String(data.message) });
        return;
    }
  },

  async onLeaseExpired(tx, agentTask, final, ctx) {
    if (!final) return;
    const task = await lockSnapshot(tx, agentTask.appId, agentTask.taskId);
    if (!task || task.status === "Finished") return;
    const now = ctx.clock.now();
    await finish(ctx, tx, task, now, {
      code: WORKER_LOST_CODE,
      message: `${messageTime(now)}, roomledger: the snapshot worker stopped heartbeating (attempt ${agentTask.attempts} of ${agentTask.maxAttempts})`,
    });
  },
};
