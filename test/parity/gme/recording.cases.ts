// GME recording: StartRecord, ModifyRecordInfo, DescribeTaskInfo, DescribeRecordInfo,
// StopRecord, in the official examples' shapes, with a recorder that has begun the streams.
import { beginWanted, recorderClient, recordingApp } from "../../gme/gme-support.ts";
import { cases, type ParityContext } from "../case.ts";

/** A recording app, users speaking in `roomId`, a task started with the example's lists, its streams begun. */
async function recording(ctx: ParityContext, roomId: string) {
  const { BizId, key, worker, room } = await recordingApp(ctx.server);
  await room.speak(roomId, "10086", "10088");
  const { TaskId } = await ctx.call("StartRecord", {
    BizId,
    RoomId: roomId,
    RecordMode: 1,
    SubscribeRecordUserIds: { SubscribeUserIds: ["10086", "10088"] },
  });
  const recorder = recorderClient(ctx.server, worker);
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
    // Both lists are always answered (the example carries both); the one not in use is empty.
    async run(ctx) {
      const { BizId } = await recording(ctx, "9832");
      await ctx.call("DescribeTaskInfo", { RoomId: "9832", BizId });
    },
    populated: ["TaskId", "RecordMode", "SubscribeRecordUserIds.SubscribeUserIds[]"],
  },
  {
    action: "DescribeTaskInfo",
    name: "a task that records everyone",
    // Where null used to be answered (issue 21): no list is two empty lists, never null. (An
    // occupied room without a task is now ResourceNotFound.RoomNotFound, the action's own
    // not-found code: test/gme/errors.test.ts.)
    async run(ctx) {
      const { BizId, room } = await recordingApp(ctx.server);
      await room.speak("9833", "10086");
      await ctx.call("StartRecord", { BizId, RoomId: "9833", RecordMode: 2 });
      await ctx.call("DescribeTaskInfo", { RoomId: "9833", BizId });
    },
    populated: ["TaskId", "RecordMode", "SubscribeRecordUserIds"],
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
