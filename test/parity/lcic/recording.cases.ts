// LCIC recording and playback: StartRecord, StopRecord, DescribeRecord, DescribeRecordTask,
// DescribeRecordStream, DeleteRecord, BatchDeleteRecord, DescribePlaybackList,
// DeletePlaybackItem, GetPlaybackToken, BatchGetPlaybackToken. Classes of their own,
// recorded by the simulated recorder (the real agent protocol, in this process) so that the
// files and playback items exist. The clock is not moved: the recordings are short.
import { lcicRecorderSimulator } from "../../../src/products/lcic/recording/recorder-simulator.ts";
import { eventFactory, ingest, lcicApp, serverNow, type LcicApp } from "../../lcic/lcic-support.ts";
import type { TestServer } from "../../support/server.ts";
import { cases, type ParityContext } from "../case.ts";

interface School {
  app: LcicApp;
  teacher: string;
  student: string;
}

const schools = new WeakMap<TestServer, Promise<School>>();

function school(ctx: ParityContext): Promise<School> {
  let p = schools.get(ctx.server);
  if (!p) {
    p = (async () => {
      const app = await lcicApp(ctx.server);
      const teacher = (await ctx.call("RegisterUser", { SdkAppId: app.sdkAppId, Name: "Ms Record" })).UserId as string;
      const student = (await ctx.call("RegisterUser", { SdkAppId: app.sdkAppId, Name: "Ann" })).UserId as string;
      return { app, teacher, student };
    })();
    schools.set(ctx.server, p);
  }
  return p;
}

async function room(ctx: ParityContext, over: Record<string, unknown> = {}): Promise<number> {
  const s = await school(ctx);
  const now = await serverNow(ctx.server);
  return (
    await ctx.call("CreateRoom", {
      SdkAppId: s.app.sdkAppId,
      Name: "Recorded",
      StartTime: now + 60,
      EndTime: now + 3600,
      Resolution: 1,
      MaxMicNumber: 6,
      SubType: "videodoc",
      TeacherId: s.teacher,
      ...over,
    })
  ).RoomId as number;
}

/** A class recorded from its start to its end (mix and single streams), its files uploaded. */
async function recordedRoom(ctx: ParityContext): Promise<number> {
  const s = await school(ctx);
  const roomId = await room(ctx, { DisableRecord: 0, RecordStream: 1 });
  const recorder = lcicRecorderSimulator({
    baseUrl: ctx.server.url,
    credential: s.app.worker,
    workerId: `parity-${roomId}`,
    startDelayMs: 0,
    failureRate: 0,
    once: true,
    signal: AbortSignal.timeout(60_000),
    log: () => {},
  });
  const ev = eventFactory(roomId, `parity-rec-${roomId}`);
  const now = await serverNow(ctx.server);
  await ingest(ctx.server, s.app.ingestKey, [ev("lcic.member.joined", now, s.teacher, { Role: 1 }), ev("lcic.stage.up", now, s.student)]);
  const { TaskId } = await ctx.call("DescribeRecordTask", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
  // The recorder has begun once the task view says so; then the class ends.
  for (let i = 0; ; i++) {
    const res = await fetch(`${ctx.server.url}/lcic/v1/record-tasks/${TaskId}`, {
      headers: { authorization: `Bearer ${s.app.ingestKey}` },
    });
    if (((await res.json()) as { beganAt: number | null }).beganAt !== null) break;
    if (i > 400) throw new Error("the simulated recorder did not begin");
    await new Promise((r) => setTimeout(r, 50));
  }
  await ctx.call("EndRoom", { RoomId: roomId });
  await recorder;
  return roomId;
}

const recorded = new WeakMap<TestServer, Promise<number>>();
/** One recorded class shared by the read-only cases. */
function sharedRecording(ctx: ParityContext): Promise<number> {
  let p = recorded.get(ctx.server);
  if (!p) {
    p = recordedRoom(ctx);
    recorded.set(ctx.server, p);
  }
  return p;
}

export default cases([
  {
    action: "StartRecord",
    name: "a manual recording (DisableRecord 2) of a class in progress",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await room(ctx, { DisableRecord: 2 });
      await ctx.call("StartRoom", { RoomId: roomId });
      await ctx.call("StartRecord", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
      // Ended, so that no task of this school waits for a recorder: the simulated recorders
      // of the other cases claim the school's oldest waiting task.
      await ctx.call("EndRoom", { RoomId: roomId });
    },
    populated: ["TaskId"],
  },
  {
    action: "StopRecord",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await room(ctx, { DisableRecord: 2 });
      await ctx.call("StartRoom", { RoomId: roomId });
      const { TaskId } = await ctx.call("StartRecord", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
      await ctx.call("StopRecord", { SdkAppId: s.app.sdkAppId, RoomId: roomId, TaskId });
    },
  },
  {
    action: "DescribeRecordTask",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await sharedRecording(ctx);
      await ctx.call("DescribeRecordTask", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
    },
    populated: ["TaskId"],
  },
  {
    action: "DescribeRecord",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await sharedRecording(ctx);
      await ctx.call("DescribeRecord", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
    },
    populated: [
      "SchoolId",
      "ClassId",
      ...["StartTime", "StopTime", "Duration", "FileFormat", "RecordUrl", "RecordSize", "VideoId", "TaskId"].map(
        (k) => `RecordInfo[].${k}`,
      ),
    ],
  },
  {
    action: "DescribeRecordStream",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await sharedRecording(ctx);
      await ctx.call("DescribeRecordStream", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
    },
    populated: [
      "SchoolId",
      "ClassId",
      "ClassType",
      ...["UserId", "StartTime", "StopTime", "Duration", "FileFormat", "RecordUrl", "RecordSize", "VideoId", "Role"].map(
        (k) => `StreamInfo[].${k}`,
      ),
    ],
  },
  {
    action: "DescribePlaybackList",
    name: "the official example's request (the app's list, paged)",
    async run(ctx) {
      const s = await school(ctx);
      await sharedRecording(ctx);
      await ctx.call("DescribePlaybackList", { SdkAppId: s.app.sdkAppId, Page: 1, Limit: 10 });
    },
    populated: ["Total", ...["RoomId", "PlaybackUrl", "Duration", "CreateTime", "FileSize"].map((k) => `Items[].${k}`)],
  },
  {
    action: "DescribePlaybackList",
    name: "a class recorded by signalling (DisableRecord 3): no file",
    // The cloud's example item of such a class has no FileSize (output_required false).
    absent: ["Items[].FileSize"],
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await room(ctx, { DisableRecord: 3 });
      await ctx.call("StartRoom", { RoomId: roomId });
      await ctx.call("EndRoom", { RoomId: roomId });
      await ctx.call("DescribePlaybackList", { SdkAppId: s.app.sdkAppId, RoomId: roomId, Page: 1, Limit: 10 });
    },
    populated: ["Total", ...["RoomId", "PlaybackUrl", "Duration", "CreateTime"].map((k) => `Items[].${k}`)],
  },
  {
    action: "DeletePlaybackItem",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await recordedRoom(ctx);
      await ctx.call("DeletePlaybackItem", { SdkAppId: s.app.sdkAppId, RoomId: roomId });
    },
  },
  {
    action: "DeleteRecord",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await recordedRoom(ctx);
      await ctx.call("DeleteRecord", { RoomId: roomId, SdkAppId: s.app.sdkAppId });
    },
  },
  {
    action: "BatchDeleteRecord",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await recordedRoom(ctx);
      await ctx.call("BatchDeleteRecord", { RoomIds: [roomId], SdkAppId: s.app.sdkAppId });
    },
    populated: ["RoomIds"],
  },
  {
    action: "GetPlaybackToken",
    name: "the official example's request",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await sharedRecording(ctx);
      await ctx.call("GetPlaybackToken", { SdkAppId: s.app.sdkAppId, RoomId: roomId, UserId: s.student });
    },
    populated: ["Token", "RoomId", "UserId"],
  },
  {
    action: "BatchGetPlaybackToken",
    name: "the official example's request",
    async run(ctx) {
      const s = await school(ctx);
      const roomId = await sharedRecording(ctx);
      await ctx.call("BatchGetPlaybackToken", { SdkAppId: s.app.sdkAppId, RoomIds: [roomId], ExpireSeconds: 0, UserId: s.student });
    },
    populated: ["Results[].RoomId", "Results[].Token", "Total", "UserId"],
  },
]);
