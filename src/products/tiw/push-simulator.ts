// A SIMULATED whiteboard push worker (`roomledger worker simulate --kind tiw-push`): it
// speaks the real agent protocol (claim, heartbeat, reports) but pushes nothing. It "joins
// the room" for startDelayMs, checks the TRTC UserSig as far as it can (user-sig.ts) and
// fails the push the way the cloud reports an illegal UserSig, reports its first frame,
// then heartbeats every third of the lease, reporting an exception with probability
// failureRate per heartbeat, until it is told to stop. Aborting it is like killing a
// worker: it stops heartbeating without a word, and the task's lease runs out.
import { AgentClient, AgentProtocolError, type ClaimedTask } from "../../agent/client.ts";
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { messageTime } from "./push-task.ts";
import { TIW_PUSH_KIND } from "./push-transitions.ts";
import { userSigProblem } from "./user-sig.ts";

interface PushSpec {
  SdkAppId: number;
  RoomId: number;
  PushUserId: string;
  PushUserSig: string;
  TRTCAuthParam: { SdkAppId: number; UserId: string; UserSig: string } | null;
}

const IDLE_POLL_MS = 250;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
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

/** The cloud's text for a push whose TRTC login was refused (seed 002, example 2). */
export function illegalUserSigMessage(now: number): { code: number; message: string } {
  return {
    code: 40006,
    message:
      `${messageTime(now)}, TRTC onError, code: -70003, msg: The UserSig in use is illegal. ` +
      "Please regenerate UserSig through official API. (FYI: https://cloud.tencent.com/document/product/269/32688 )",
  };
}

type Outcome = "stop" | "lost" | "aborted" | "go-on";

async function beat(client: AgentClient, taskId: string, o: WorkerSimulatorOptions): Promise<Outcome> {
  if (o.signal.aborted) return "aborted";
  try {
    return (await client.heartbeat(taskId)).stop ? "stop" : "go-on";
  } catch (err) {
    if (err instanceof AgentProtocolError && err.status === 409) return "lost";
    throw err;
  }
}

async function runTask(client: AgentClient, task: ClaimedTask<PushSpec>, leaseMs: number, o: WorkerSimulatorOptions): Promise<void> {
  const every = Math.max(20, Math.floor(leaseMs / 3));
  const spec = task.spec;
  o.log(`claimed ${task.taskId} (attempt ${task.attempt}): room ${spec.RoomId} as ${spec.PushUserId}`);
  const report = async (type: string, data: Record<string, unknown> = {}) => {
    try {
      await client.report(task.taskId, [{ type, data }]);
      return true;
    } catch (err) {
      if (err instanceof AgentProtocolError && err.status === 409) return false;
      throw err;
    }
  };
  const finish = async (outcome: Outcome): Promise<boolean> => {
    if (outcome === "go-on") return false;
    if (outcome === "stop" && (await report("stopped"))) o.log(`${task.taskId}: stopped as asked`);
    if (outcome === "lost") o.log(`${task.taskId}: lease lost (taken over or done)`);
    return true;
  };

  // Joining the room: keep the lease while it takes.
  let waited = 0;
  while (waited < o.startDelayMs) {
    const step = Math.min(every, o.startDelayMs - waited);
    await sleep(step, o.signal);
    waited += step;
    if (await finish(await beat(client, task.taskId, o))) return;
  }
  if (o.signal.aborted) return;
  const trtc = spec.TRTCAuthParam ?? { SdkAppId: spec.SdkAppId, UserId: spec.PushUserId, UserSig: spec.PushUserSig };
  const problem = userSigProblem(trtc.UserSig, trtc.SdkAppId, trtc.UserId);
  if (problem !== null) {
    o.log(`${task.taskId}: TRTC refused the UserSig (${problem}): failing the push`);
    await report("failed", illegalUserSigMessage(Date.now()));
    return;
  }
  if (!(await report("started", { imSyncTime: Math.floor(Date.now() / 1000) }))) return;
  o.log(`${task.taskId}: pushing`);
  let n = 0;
  for (;;) {
    await sleep(every, o.signal);
    const outcome = await beat(client, task.taskId, o);
    if (await finish(outcome)) return;
    if (o.failureRate > 0 && Math.random() < o.failureRate) {
      n++;
      o.log(`${task.taskId}: simulated exception #${n}`);
      await report("exception", {
        code: 40010,
        message: `${messageTime(Date.now())}, simulated push exception #${n} (failure rate ${o.failureRate})`,
      });
    }
  }
}

export const tiwPushSimulator: WorkerSimulator = async (o) => {
  const client = new AgentClient({ baseUrl: o.baseUrl, credential: o.credential, workerId: o.workerId });
  while (!o.signal.aborted) {
    let claimed: { task: ClaimedTask<PushSpec> | null; leaseMs: number };
    try {
      claimed = await client.claim<PushSpec>(TIW_PUSH_KIND);
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
      await runTask(client, claimed.task, claimed.leaseMs, o);
    } catch (err) {
      if (o.signal.aborted) return;
      o.log(`${claimed.task.taskId}: ${(err as Error).message}`);
    }
    if (o.once) return;
  }
};
