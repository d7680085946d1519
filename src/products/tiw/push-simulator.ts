// A SIMULATED whiteboard push worker (`roomledger worker simulate --kind tiw-push`): it
// speaks the real agent protocol (claim, heartbeat, reports) but pushes nothing. It "joins
// the room" for startDelayMs, checks the TRTC UserSig as far as it can (user-sig.ts) and
// fails the push the way the cloud reports an illegal UserSig, reports its first frame,
// then heartbeats every third of the lease, reporting an exception with probability
// failureRate per heartbeat, until it is told to stop. Aborting it is like killing a
// worker: it stops heartbeating without a word, and the task's lease runs out.
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { claimLoop, sleep, type Beat, type HeldTask } from "../../agent/claim-loop.ts";
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

/** The cloud's text for a push whose TRTC login was refused (seed 002, example 2). */
export function illegalUserSigMessage(now: number): { code: number; message: string } {
  return {
    code: 40006,
    message:
      `${messageTime(now)}, TRTC onError, code: -70003, msg: The UserSig in use is illegal. ` +
      "Please regenerate UserSig through official API. (FYI: https://cloud.tencent.com/document/product/269/32688 )",
  };
}

async function runTask(h: HeldTask<PushSpec>, o: WorkerSimulatorOptions): Promise<void> {
  const { task, report } = h;
  const every = Math.max(20, Math.floor(h.leaseMs / 3));
  const spec = task.spec;
  o.log(`claimed ${task.taskId} (attempt ${task.attempt}): room ${spec.RoomId} as ${spec.PushUserId}`);
  const finish = async (outcome: Beat): Promise<boolean> => {
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
    if (await finish(await h.beat())) return;
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
    if (await finish(await h.beat())) return;
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

export const tiwPushSimulator: WorkerSimulator = (o) => claimLoop<PushSpec>(TIW_PUSH_KIND, o, (h) => runTask(h, o));
