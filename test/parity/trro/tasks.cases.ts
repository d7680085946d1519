// TRRO callbacks, cloud recording and live publishing (issue 21): ModifyCallbackUrl,
// CreateCloudRecording, DeleteCloudRecording, StartPublishLiveStream, StopPublishLiveStream,
// with the real examples' request shapes (no worker runs here: the stops end queued tasks).
// The tasks use the shared fleet's truck1 (each case its own video stream: one live recording
// per stream); no devices are created here (CreateDevice's 20/s limit is the whole run's).
import { cases } from "../case.ts";
import { project, trroFleet } from "./fleet.ts";

const storage = {
  Vendor: 0,
  Bucket: "recording-1304123456",
  Region: "ap-nanjing",
  AccessKey: "accesskey-test",
  SecretKey: "secretkey-test",
  FileNamePrefix: ["2024-12-24", "dev1"],
};

const publish = (P: string, stream: number) => ({
  PublishParams: [
    { PublishUrl: "rtmp://live-push-test.tencentcs.com/live/test1?txSecret=abcd1234567890&txTime=679C9784", IsTencentUrl: 1 },
  ],
  MaxIdleTime: 20,
  VideoParams: {
    Width: 1920,
    Height: 1080,
    Fps: 30,
    BitRate: 1500,
    Gop: 2,
    VideoList: [{ VideoStreamId: stream, Width: 1920, Height: 1080, DeviceId: "truck1", ProjectId: P }],
  },
  WithTranscoding: 1,
});

export default cases([
  {
    action: "ModifyCallbackUrl",
    name: "the real example",
    async run(ctx) {
      const P = await project(ctx, "callbacks");
      await ctx.call("ModifyCallbackUrl", { ProjectId: P, CallbackUrl: "http://123.45.81.121:9999", SignKey: "abcd1234" });
    },
    populated: ["Code", "Msg"],
  },
  {
    action: "CreateCloudRecording",
    name: "the real example",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("CreateCloudRecording", {
        DeviceId: "truck1",
        ProjectId: f.projectId,
        OutputFormat: 3,
        VideoStreamId: 40,
        MaxMediaFileDuration: 20,
        MaxIdleTime: 20,
        CloudStorage: storage,
      });
    },
    populated: ["TaskId"],
  },
  {
    action: "DeleteCloudRecording",
    async run(ctx) {
      const f = await trroFleet(ctx);
      const { TaskId } = await ctx.call("CreateCloudRecording", {
        DeviceId: "truck1",
        ProjectId: f.projectId,
        VideoStreamId: 41,
        CloudStorage: storage,
      });
      await ctx.call("DeleteCloudRecording", { TaskId });
    },
  },
  {
    action: "StartPublishLiveStream",
    name: "the real example",
    async run(ctx) {
      const f = await trroFleet(ctx);
      await ctx.call("StartPublishLiveStream", publish(f.projectId, 0));
    },
    populated: ["TaskId"],
  },
  {
    action: "StopPublishLiveStream",
    async run(ctx) {
      const f = await trroFleet(ctx);
      const { TaskId } = await ctx.call("StartPublishLiveStream", publish(f.projectId, 1));
      await ctx.call("StopPublishLiveStream", { TaskId });
    },
  },
]);
