// A SIMULATED recorder (`roomledger worker simulate --kind tiw-record`): it speaks the real
// agent protocol but records nothing. It "joins the room" for startDelayMs, checks the
// record user's UserSig as far as it can (user-sig.ts) and fails the recording the way the
// cloud reports an IM login refused, reports its first frame, heartbeats every third of the
// lease (an exception with probability failureRate per heartbeat) until told to stop,
// confirms, and reports a result: a whiteboard video spanning the recording, at a made-up
// URL under roomledger.invalid (a reserved name: nothing is stored anywhere), or, in
// video generation mode, no video and a replay URL.
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { claimLoop, sleep, type HeldTask } from "../../agent/claim-loop.ts";
import { messageTime } from "./push-task.ts";
import { TIW_RECORD_KIND } from "./record-transitions.ts";
import { userSigProblem } from "./user-sig.ts";

interface RecordSpec {
  SdkAppId: number;
  RoomId: number;
  RecordUserId: string;
  RecordUserSig: string;
  RecordMode: "REALTIME_MODE" | "VIDEO_GENERATION_MODE";
  Whiteboard: { Width: number; Height: number };
}

/** The cloud's text for a recording whose IM login was refused (DescribeOnlineRecord, example 2). */
export function imLoginFailedMessage(now: number, problem: string): { code: number; message: string } {
  return { code: 40004, message: `${messageTime(now)}, im login failed with code 70001, desc ${problem}` };
}

async function runTask(h: HeldTask<RecordSpec>, o: WorkerSimulatorOptions) {
  const { task } = h;
  const every = Math.max(20, Math.floor(h.leaseMs / 3));
  const spec = task.spec;
  o.log(`claimed ${task.taskId} (attempt ${task.attempt}): room ${spec.RoomId} as ${spec.RecordUserId}`);

  // Joining the room: keep the lease while it takes.
  for (let waited = 0; waited < o.startDelayMs; ) {
    const step = Math.min(every, o.startDelayMs - waited);
    await sleep(step, o.signal);
    waited += step;
    const b = await h.beat();
    if (b === "lost" || b === "aborted") return;
    if (b === "stop") return finish(null, Date.now());
  }
  if (o.signal.aborted) return;
  const problem = userSigProblem(spec.RecordUserSig, spec.SdkAppId, spec.RecordUserId);
  if (problem !== null) {
    o.log(`${task.taskId}: IM refused the UserSig (${problem}): failing the recording`);
    await h.report("failed", imLoginFailedMessage(Date.now(), problem));
    return;
  }
  const startedAt = Date.now();
  // No report times: the server stamps them on its (domain) clock, the clock pauses and
  // resumes are stamped on too, which a development server moves ahead of the wall clock.
  if (!(await h.report("started"))) return;
  o.log(`${task.taskId}: recording`);
  for (let n = 0; ; ) {
    await sleep(every, o.signal);
    const b = await h.beat();
    if (b === "lost" || b === "aborted") return;
    if (b === "stop") return finish(startedAt, Date.now());
    if (o.failureRate > 0 && Math.random() < o.failureRate) {
      n++;
      await h.report("exception", { code: 40010, message: `${messageTime(Date.now())}, simulated recording exception #${n}` });
    }
  }

  async function finish(startedAt: number | null, stoppedAt: number): Promise<void> {
    if (!(await h.report("stopped"))) return;
    o.log(`${task.taskId}: stopped as asked, "uploading"`);
    const generation = spec.RecordMode === "VIDEO_GENERATION_MODE";
    const videoId = `${task.taskId}-whiteboard`;
    // Stopped before it started: nothing was recorded.
    const videos =
      generation || startedAt === null
        ? []
        : [
            {
              userId: "",
              videoType: 2,
              startTime: startedAt,
              duration: Math.max(0, stoppedAt - startedAt),
              size: Math.max(0, stoppedAt - startedAt) * 25, // ~200 kbit/s
              format: "mp4",
              url: `https://recordings.roomledger.invalid/tiw/${spec.SdkAppId}/${task.taskId}/${videoId}.mp4`,
              videoId,
              width: spec.Whiteboard.Width,
              height: spec.Whiteboard.Height,
            },
          ];
    const replayUrl = generation ? `https://recordings.roomledger.invalid/tiw/${spec.SdkAppId}/${task.taskId}/replay` : undefined;
    if (await h.report("finished", { videos, ...(replayUrl ? { replayUrl } : {}) })) o.log(`${task.taskId}: finished`);
  }
}

export const tiwRecordSimulator: WorkerSimulator = (o) => claimLoop<RecordSpec>(TIW_RECORD_KIND, o, (h) => runTask(h, o));
