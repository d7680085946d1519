// A SIMULATED TRRO live publisher (`roomledger worker simulate --kind trro-publish`), for
// tests and the demo. It speaks the real agent protocol; only the media work is pretend:
// nothing is mixed or pushed to any URL. It reports `started` after the start delay and
// `stopped` when its heartbeat says stop. With a failure rate it "crashes" (stops
// heartbeating) so that lease expiry can be seen at work.
import { setTimeout as sleep } from "node:timers/promises";
import { claimLoop, SimulatedCrash } from "../../agent/claim-loop.ts";
import type { WorkerSimulator } from "../../agent/simulator.ts";
import { PUBLISH_KIND } from "./task-store.ts";

export const trroPublishSimulator: WorkerSimulator = (o) =>
  claimLoop(
    PUBLISH_KIND,
    o,
    async ({ client, task, leaseMs }) => {
      const tick = Math.min(Math.max(Math.floor(leaseMs / 4), 20), 500);
      o.log(`claimed publishing ${task.taskId} (attempt ${task.attempt})`);
      const alive = async () => {
        const hb = await client.heartbeat(task.taskId);
        if (o.failureRate > 0 && Math.random() < o.failureRate) throw new SimulatedCrash();
        return hb;
      };
      await sleep(o.startDelayMs);
      let hb = await alive();
      if (!hb.stop) await client.report(task.taskId, [{ type: "started", data: {} }]);
      while (!hb.stop) {
        // Aborted (the simulator is being shut down): abandon the task, as a crashed publisher would.
        if (o.signal.aborted) return;
        await sleep(tick);
        hb = await alive();
      }
      await client.report(task.taskId, [{ type: "stopped", data: { reason: "user" } }]);
      o.log(`publishing ${task.taskId} stopped`);
    },
    { label: (id) => `publishing ${id}` },
  );
