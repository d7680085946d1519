// TIW whiteboard push: StartWhiteboardPush, StopWhiteboardPush, DescribeWhiteboardPush and
// its callback settings, with a simulated push worker where a task must run.
import { pushUser, simulate, tiwApp, validSig, waitFor } from "../../tiw/helpers.ts";
import { cases, type ParityContext } from "../case.ts";

/** The official example's request (RoomId 1203), with a backup task, for an app of ours. */
const startRequest = (appId: number, extra: Record<string, unknown> = {}) => {
  const user = pushUser();
  return { PushUserId: user, PushUserSig: validSig(appId, user), RoomId: 1203, SdkAppId: appId, ...extra };
};

/** A push that ran and was stopped by the user, as the official Describe example shows. */
async function stoppedPush(ctx: ParityContext): Promise<{ appId: number; taskId: string }> {
  const app = await tiwApp(ctx.server);
  const sim = simulate(ctx.server, app.worker, `parity-${app.appId}`);
  try {
    const { TaskId } = await ctx.call("StartWhiteboardPush", startRequest(app.appId, { GroupId: "880528" }));
    const describe = () => ctx.client.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId });
    await waitFor("PUSHING", async () => ((await describe()).Status === "PUSHING" ? true : undefined));
    await ctx.call("StopWhiteboardPush", { SdkAppId: app.appId, TaskId });
    await waitFor("STOPPED", async () => ((await describe()).Status === "STOPPED" ? true : undefined));
    return { appId: app.appId, taskId: TaskId };
  } finally {
    await sim.stop();
  }
}

export default cases([
  {
    action: "StartWhiteboardPush",
    name: "the official example, with a managed backup",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      const backupUser = pushUser();
      await ctx.call(
        "StartWhiteboardPush",
        startRequest(appId, { Backup: { PushUserId: backupUser, PushUserSig: validSig(appId, backupUser) }, AutoManageBackup: true }),
      );
    },
    populated: ["TaskId", "Backup"],
  },
  {
    action: "StopWhiteboardPush",
    name: "a task with a managed backup",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      const backupUser = pushUser();
      const { TaskId } = await ctx.call(
        "StartWhiteboardPush",
        startRequest(appId, { Backup: { PushUserId: backupUser, PushUserSig: validSig(appId, backupUser) }, AutoManageBackup: true }),
      );
      await ctx.call("StopWhiteboardPush", { SdkAppId: appId, TaskId });
    },
    populated: ["Backup"],
  },
  {
    action: "DescribeWhiteboardPush",
    name: "the official example: a push stopped by the user",
    async run(ctx) {
      const { appId, taskId } = await stoppedPush(ctx);
      await ctx.call("DescribeWhiteboardPush", { SdkAppId: appId, TaskId: taskId });
    },
    populated: ["FinishReason", "TaskId", "Status", "RoomId", "GroupId", "PushUserId", "PushStartTime", "PushStopTime"],
  },
  {
    action: "SetWhiteboardPushCallback",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call("SetWhiteboardPushCallback", { SdkAppId: appId, Callback: "https://example.com/online/callback" });
    },
  },
  {
    action: "SetWhiteboardPushCallbackKey",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call("SetWhiteboardPushCallbackKey", { SdkAppId: appId, CallbackKey: "6vg9G7Fd" });
    },
  },
  {
    action: "DescribeWhiteboardPushCallback",
    name: "the official example: both set",
    async run(ctx) {
      const { appId } = await tiwApp(ctx.server);
      await ctx.call("SetWhiteboardPushCallback", { SdkAppId: appId, Callback: "https://example.com/online/callback" });
      await ctx.call("SetWhiteboardPushCallbackKey", { SdkAppId: appId, CallbackKey: "6vg9G7Fd" });
      await ctx.call("DescribeWhiteboardPushCallback", { SdkAppId: appId });
    },
    populated: ["Callback", "CallbackKey"],
  },
]);
