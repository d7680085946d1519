// GME recording: StartRecord, ModifyRecordInfo, DescribeTaskInfo, DescribeRecordInfo,
// StopRecord, in the official examples' shapes, with a recorder that has begun the streams.
import { beginWanted, recorderClient, recordingApp } from "../../gme/gme-support.ts";
import { cases, type ParityContext } from "../case.ts";

/** A recording app, users speaking in `roomId`, a task started with the example's lists, its streams begun. */
async function recording(ctx: ParityContext, roomId: string) {
  const { BizId, key, room } = await recordingApp(ctx.server);
  await room.speak(roomId, "10086", "10088");
  const { TaskId } = await ctx.call("StartRecord", {
    BizId,
    RoomId: roomId,
    RecordMode: 1,
    SubscribeRecordUserIds: { SubscribeUserIds: ["10086", "10088"] },
  });
  const recorder = recorderClient(ctx.server, key);
  await recorder.claim("gme-record");
  await beginWanted(ctx.server, key, recorder, TaskId);
  return { BizId, TaskId: TaskId as number };
}

export default cases([
  {
    action: "StartRecord",
    name: "the official example's shape, allow-list only",
    // The cloud's example sets an allow-list and a deny-list together, but its own field
    // documentation allows only one of the two at a time, and roomledger follows the
    // documentation (InvalidParameterValue.InvalidSubscribeRecordUserIds): the allow-list alone.
    async run(ctx) {
      const { BizId, room } = await recordingApp(ctx.server);
      await room.speak("1987", "10086", "10087");
      await ctx.call("StartRecord", { RecordMode: 1, SubscribeRecordUserIds: { SubscribeUserIds: ["10086"] }, RoomId: "1987", BizId });
    },
    populated: ["TaskId"],
  },
  {
    action: "ModifyRecordInfo",
    async run(ctx) {
      const { BizId, TaskId } = await recording(ctx, "2001");
      await ctx.call("ModifyRecordInfo", { SubscribeRecordUserIds: { UnSubscribeUserIds: ["10088"] }, RecordMode: 3, TaskId, BizId });
    },
  },
  {
    action: "DescribeTaskInfo",
    name: "a task with an allow-list",
    // A task has one list or none (the cloud's spec: both output_required false); the
    // other is left out.
    absent: ["SubscribeRecordUserIds.UnSubscribeUserIds"],
    async run(ctx) {
      const { BizId } = await recording(ctx, "9832");
      await ctx.call("DescribeTaskInfo", { RoomId: "9832", BizId });
    },
    populated: ["TaskId", "RecordMode", "SubscribeRecordUserIds.SubscribeUserIds[]"],
  },
  {
    action: "DescribeTaskInfo",
    name: "an occupied room without a task",
    todo: "DescribeTaskInfo of an occupied room without a recording task answers TaskId, RecordMode and SubscribeRecordUserIds as null; the SDK's model allows null for none of them (issue 21)",
    async run(ctx) {
      const { BizId, room } = await recordingApp(ctx.server);
      await room.speak("9833", "10086");
      await ctx.call("DescribeTaskInfo", { RoomId: "9833", BizId });
    },
  },
  {
    action: "DescribeRecordInfo",
    async run(ctx) {
      const { BizId, TaskId } = await recording(ctx, "7743");
      await ctx.call("DescribeRecordInfo", { TaskId, BizId });
    },
    populated: ["RoomId", "RecordMode", "RecordInfo[].UserId", "RecordInfo[].FileName", "RecordInfo[].RecordBeginTime"],
  },
  {
    action: "StopRecord",
    async run(ctx) {
      const { BizId, TaskId } = await recording(ctx, "2002");
      await ctx.call("StopRecord", { BizId, TaskId });
    },
  },
]);
