// A SIMULATED TRRO cloud recorder (`roomledger worker simulate --kind trro-record`), for tests
// and the demo. It speaks the real agent protocol; only the media work is pretend: nothing is
// captured and nothing reaches a bucket. It reports `started` after the start delay, records
// until its heartbeat says stop, reports `stopped`, then `uploaded` with the one MP4 file the
// task would have made (named from the spec's FileNamePrefix, as the cloud names them). With
// a failure rate it "crashes" (stops heartbeating) so that lease expiry can be seen at work.
import { setTimeout as sleep } from "node:timers/promises";
import type { AgentClient } from "../../agent/client.ts";
import { claimLoop, SimulatedCrash } from "../../agent/claim-loop.ts";
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { RECORD_KIND } from "./task-store.ts";

interface RecordSpec {
  DeviceId: string;
  VideoStreamId: number;
  CloudStorage: { FileNamePrefix: string[] };
}

export const trroRecordSimulator: WorkerSimulator = (o) =>
  claimLoop<RecordSpec>(
    RECORD_KIND,
    o,
    async ({ client, task, leaseMs }) => {
      const tick = Math.min(Math.max(Math.floor(leaseMs / 4), 20), 500);
      o.log(`claimed recording ${task.taskId} (attempt ${task.attempt})`);
      await record(o, client, task.taskId, task.spec, tick);
      o.log(`recording ${task.taskId} uploaded`);
    },
    { label: (id) => `recording ${id}` },
  );

async function record(o: WorkerSimulatorOptions, client: AgentClient, taskId: string, spec: RecordSpec, tick: number): Promise<void> {
  const alive = async () => {
    const hb = await client.heartbeat(taskId);
    if (o.failureRate > 0 && Math.random() < o.failureRate) throw new SimulatedCrash();
    return hb;
  };
  await sleep(o.startDelayMs);
  let hb = await alive();
  const startTime = Date.now();
  if (!hb.stop) await client.report(taskId, [{ type: "started", data: {} }]);
  while (!hb.stop) {
    // Aborted (the simulator is being shut down): abandon the task, as a crashed recorder would.
    if (o.signal.aborted) return;
    await sleep(tick);
    hb = await alive();
  }
  await client.report(taskId, [{ type: "stopped", data: { reason: "user" } }]);
  await sleep(tick);
  await alive();
  const fileName = [...spec.CloudStorage.FileNamePrefix, taskId, `${spec.DeviceId}_${spec.VideoStreamId}.mp4`].join("/");
  await client.report(taskId, [{ type: "uploaded", data: { files: [{ fileName, startTime, endTime: Date.now() }] } }]);
}
