// The claim loop the simulated recorder, video generator and snapshot worker share: claim a
// task of the kind, run it, repeat (or once), until aborted. Only the work is simulated; the
// agent protocol is the real one (AgentClient).
import { AgentClient, AgentProtocolError, type ClaimedTask } from "../../agent/client.ts";
import type { WorkerSimulatorOptions } from "../../agent/simulator.ts";

const IDLE_POLL_MS = 250;

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A held task's helpers: report (false once the lease is lost) and heartbeat ("stop", "lost", "go-on", "aborted"). */
export function taskHandle(client: AgentClient, taskId: string, o: WorkerSimulatorOptions) {
  return {
    async report(type: string, data: Record<string, unknown> = {}): Promise<boolean> {
      try {
        await client.report(taskId, [{ type, data }]);
        return true;
      } catch (err) {
        if (err instanceof AgentProtocolError && err.status === 409) return false;
        throw err;
      }
    },
    async beat(): Promise<"stop" | "lost" | "go-on" | "aborted"> {
      if (o.signal.aborted) return "aborted";
      try {
        return (await client.heartbeat(taskId)).stop ? "stop" : "go-on";
      } catch (err) {
        if (err instanceof AgentProtocolError && err.status === 409) return "lost";
        throw err;
      }
    },
  };
}

export async function claimLoop<S>(
  kind: string,
  o: WorkerSimulatorOptions,
  run: (client: AgentClient, task: ClaimedTask<S>, leaseMs: number) => Promise<void>,
): Promise<void> {
  const client = new AgentClient({ baseUrl: o.baseUrl, credential: o.credential, workerId: o.workerId });
  while (!o.signal.aborted) {
    let claimed: { task: ClaimedTask<S> | null; leaseMs: number };
    try {
      claimed = await client.claim<S>(kind);
    } catch (err) {
      if (o.signal.aborted) return;
      o.log(`claim failed: ${(err as Error).message}`);
      await sleep(1000, o.signal);
      continue;
    }
    if (!claimed.task) {
      await sleep(IDLE_POLL_MS, o.signal);
      continue;
    }
    try {
      await run(client, claimed.task, claimed.leaseMs);
    } catch (err) {
      if (o.signal.aborted) return;
      o.log(`${claimed.task.taskId}: ${(err as Error).message}`);
    }
    if (o.once) return;
  }
}
