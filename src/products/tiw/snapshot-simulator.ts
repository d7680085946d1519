// A SIMULATED snapshot worker (`roomledger worker simulate --kind tiw-snapshot`): it speaks
// the real agent protocol but draws nothing. Every startDelayMs it "makes" one image (a
// made-up URL under roomledger.invalid, a reserved name: nothing is stored), three in all,
// heartbeating meanwhile, then reports the room over. With probability failureRate it fails
// the task instead of finishing it.
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { claimLoop, sleep, type HeldTask } from "../../agent/claim-loop.ts";
import { messageTime } from "./push-task.ts";
import { TIW_SNAPSHOT_KIND } from "./snapshot-agent-kind.ts";

interface SnapshotSpec {
  SdkAppId: number;
  RoomId: number;
}

const IMAGES = 3;

async function runTask(h: HeldTask<SnapshotSpec>, o: WorkerSimulatorOptions) {
  const { task } = h;
  const every = Math.max(20, Math.floor(h.leaseMs / 3));
  o.log(`claimed ${task.taskId} (attempt ${task.attempt}): snapshots of room ${task.spec.RoomId}`);
  for (let i = 1; i <= IMAGES; i++) {
    for (let waited = 0; waited < o.startDelayMs; ) {
      const step = Math.min(every, o.startDelayMs - waited);
      await sleep(step, o.signal);
      waited += step;
      const b = await h.beat();
      if (b === "lost" || b === "aborted") return;
    }
    const url = `https://snapshots.roomledger.invalid/${task.spec.SdkAppId}/${task.spec.RoomId}/${task.taskId}/${i}.png`;
    if (!(await h.report("snapshot", { url }))) return;
  }
  if (o.failureRate > 0 && Math.random() < o.failureRate) {
    await h.report("failed", { code: "SimulatedFailure", message: `${messageTime(Date.now())}, simulated snapshot failure` });
    return;
  }
  if (await h.report("finished")) o.log(`${task.taskId}: finished`);
}

export const tiwSnapshotSimulator: WorkerSimulator = (o) => claimLoop<SnapshotSpec>(TIW_SNAPSHOT_KIND, o, (h) => runTask(h, o));
