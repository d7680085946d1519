// A SIMULATED video generator (`roomledger worker simulate --kind tiw-video-generation`): it
// speaks the real agent protocol but renders nothing. It takes startDelayMs per half of the
// work (reporting its progress at 50 and 100), heartbeating meanwhile, then reports one
// whiteboard video spanning the result, at a made-up URL under roomledger.invalid (a
// reserved name: nothing is stored anywhere). With probability failureRate it fails the task
// instead, as a generator whose replay data could not be read.
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { claimLoop, sleep, type HeldTask } from "../../agent/claim-loop.ts";
import { messageTime } from "./push-task.ts";
import { TIW_VIDEO_GENERATION_KIND, type VideoGenerationSpec } from "./video-generation-agent-kind.ts";

async function runTask(h: HeldTask<VideoGenerationSpec>, o: WorkerSimulatorOptions) {
  const { task } = h;
  const every = Math.max(20, Math.floor(h.leaseMs / 3));
  const spec = task.spec;
  o.log(`claimed ${task.taskId} (attempt ${task.attempt}): videos of recording ${spec.OnlineRecordTaskId}`);
  if (!(await h.report("started"))) return;
  for (const progress of [50, 100]) {
    for (let waited = 0; waited < o.startDelayMs; ) {
      const step = Math.min(every, o.startDelayMs - waited);
      await sleep(step, o.signal);
      waited += step;
      const b = await h.beat();
      if (b === "lost" || b === "aborted") return;
    }
    if (!(await h.report("progress", { progress }))) return;
  }
  if (o.failureRate > 0 && Math.random() < o.failureRate) {
    await h.report("failed", { code: 40011, message: `${messageTime(Date.now())}, simulated failure: the replay data could not be read` });
    o.log(`${task.taskId}: failed (simulated)`);
    return;
  }
  const videoId = `${task.taskId}-whiteboard`;
  const video = {
    userId: "",
    videoType: 2,
    startTime: spec.RecordStartTime,
    duration: spec.TotalTime,
    size: spec.TotalTime * 25, // ~200 kbit/s
    format: "mp4",
    url: `https://videos.roomledger.invalid/tiw/${spec.SdkAppId}/${task.taskId}/${videoId}.mp4`,
    videoId,
    width: spec.Whiteboard.Width,
    height: spec.Whiteboard.Height,
  };
  if (await h.report("finished", { videos: [video] })) o.log(`${task.taskId}: finished`);
}

export const tiwVideoGenerationSimulator: WorkerSimulator = (o) =>
  claimLoop<VideoGenerationSpec>(TIW_VIDEO_GENERATION_KIND, o, (h) => runTask(h, o));
