// Plays the scenario on the development clock, 30 seconds of domain time per step: the clock
// is moved to the end of the step (running what became due: room start and end, auto-stop
// checks, silence checks), then what the clients, devices and workers saw in that step is
// reported. Thirty seconds keeps every TRRO session within its 60-second silence window.
import { allProducts } from "../products/registry.ts";
import type { WorkerSimulator } from "../agent/simulator.ts";
import { makeUserSig } from "../products/tiw/user-sig.ts";
import { classEvents, onlineAt, type ClassEvent } from "../simulate/class-model.ts";
import { qosLines } from "../simulate/qos-model.ts";
import { deviceReports } from "../simulate/device-model.ts";
import { gmeClient, politely, tiwClient, type GmeClient } from "./clients.ts";
import { deviceReport, ingestEvents, ingestQos } from "./reporters.ts";
import { ScriptedPushWorker } from "./push-worker.ts";
import { CLASS_SECONDS, PUSH_EXCEPTION_AT, QOS_EVERY_S, type Scenario } from "./scenario.ts";
import type { Setup } from "./setup.ts";
import type { Target } from "./target.ts";

export const STEP_S = 30;

export interface PushSnapshot {
  at: string;
  Status: string;
  ExceptionCnt: number;
  FinishReason: string;
  PushStartTime: number;
  PushStopTime: number;
}

export interface Played {
  pushTaskId: string;
  pushJourney: PushSnapshot[];
  gmeTaskId: number;
  counts: { classEvents: number; qosSamples: number; deviceReports: number; requests: number };
}

export type Progress = (done: number, label: string) => void;

const mmss = (s: number): string => `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;

interface VoiceEvent {
  id: string;
  type: string;
  ctime: number;
  data: { roomId: string; userId: string };
}

/** Waits until the recording has a file for each of these users. */
async function recorded(gme: GmeClient, bizId: number, taskId: number, userIds: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const info = await gme.DescribeRecordInfo({ BizId: bizId, TaskId: taskId });
    const have = new Set((info.RecordInfo ?? []).map((r) => r.UserId));
    if (userIds.every((id) => have.has(id))) return;
    if (Date.now() > deadline) throw new Error(`the recorder did not begin recording ${userIds.join(", ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The voice room follows the mic: on the mic = in the GME room and sending audio. */
function voiceEvents(events: ClassEvent[], roomId: string): VoiceEvent[] {
  const out: VoiceEvent[] = [];
  for (const e of events) {
    const userId = String(e.data.UserId);
    if (e.type === "lcic.mic.on") {
      out.push({ id: `${e.id}-enter`, type: "gme.user.entered", ctime: e.ctime, data: { roomId, userId } });
      out.push({ id: `${e.id}-audio`, type: "gme.audio.started", ctime: e.ctime + 1, data: { roomId, userId } });
    } else if (e.type === "lcic.mic.off") {
      out.push({ id: `${e.id}-mute`, type: "gme.audio.stopped", ctime: e.ctime, data: { roomId, userId } });
    }
  }
  return out;
}

export async function play(t: Target, s: Scenario, u: Setup, progress: Progress): Promise<Played> {
  const userIdOf = (name: string) => u.userIds.get(name)!;
  const events = classEvents(s.cls, u.roomId, u.startS, userIdOf, `demo-${u.roomId}`);
  const voiceRoom = `class-${u.roomId}`;
  const tiw = tiwClient(t);
  const gme = gmeClient(t);
  const teacher = s.cls.members.find((m) => m.role === 1)!;
  const counts = { classEvents: 0, qosSamples: 0, deviceReports: 0, requests: 0 };
  const journey: PushSnapshot[] = [];
  const snapshot = async (at: string, taskId: string) => {
    const d = await tiw.DescribeWhiteboardPush({ SdkAppId: u.sdkAppId, TaskId: taskId });
    journey.push({
      at,
      Status: d.Status!,
      ExceptionCnt: d.ExceptionCnt!,
      FinishReason: d.FinishReason!,
      PushStartTime: d.PushStartTime!,
      PushStopTime: d.PushStopTime!,
    });
  };

  let nowMs = (await t.admin<{ now: number }>("GET", "/clock")).now;
  const advanceTo = async (s: number) => {
    const seconds = Math.max(0, (u.startS + s) * 1000 - nowMs) / 1000;
    nowMs = (await t.admin<{ now: number }>("POST", "/clock/advance", { seconds })).now;
  };

  // The simulated recorder runs beside the class, as a recording worker would.
  const simulators: Record<string, WorkerSimulator> = Object.assign({}, ...allProducts.map((p) => p.workerSimulators ?? {}));
  const recorderAbort = new AbortController();
  let recorder: Promise<void> | null = null;
  const pushUser = `tic_push_user_${u.roomId}`;
  const worker = new ScriptedPushWorker(t.url, u.pushCredential);
  let pushTaskId = "";
  let gmeTaskId = 0;
  let qosChain: Promise<unknown> = Promise.resolve();
  let qosFailure: unknown = null;

  try {
    for (let from = -60; from < CLASS_SECONDS; from += STEP_S) {
      // The last step stops a second short of the end, so that everything of the class is
      // reported before the scheduled end computes the statistics.
      const to = Math.min(from + STEP_S, CLASS_SECONDS - 1);
      await advanceTo(to);
      const inStep = events.filter(
        (e) => e.ctime >= (u.startS + from) * 1000 && e.ctime < (u.startS + (to === CLASS_SECONDS - 1 ? CLASS_SECONDS : to)) * 1000,
      );
      const qos = qosLines(s.cls, String(u.roomId), u.startS, from, to === CLASS_SECONDS - 1 ? CLASS_SECONDS : to, userIdOf, QOS_EVERY_S);
      const devices = deviceReports(s.fleet, u.projectId, u.startS, from, to);
      // The teacher draws on the whiteboard all class long (this keeps the push from its auto stop).
      const activity = onlineAt(teacher, Math.max(0, from))
        ? [
            {
              id: `wb-${u.roomId}-${from}`,
              type: "tiw.whiteboard.activity",
              ctime: (u.startS + Math.max(0, to - 1)) * 1000,
              data: { roomId: u.roomId, userId: userIdOf(teacher.name) },
            },
          ]
        : [];
      const voice = voiceEvents(inStep, voiceRoom);
      const speaking = voice.filter((e) => e.type !== "gme.audio.stopped");
      // QoS samples depend on no clock or state: they stream in the background, one request
      // in flight, as a client's reporter would, while the class goes on.
      qosChain = qosChain.then(() => (qosFailure ? undefined : ingestQos(t.url, u.rtcKey, qos))).catch((err) => void (qosFailure ??= err));
      const requests: Promise<unknown>[] = [
        ingestEvents(t.url, u.classKey, [...inStep, ...(from >= 0 ? activity : [])]),
        ingestEvents(t.url, u.gmeKey, speaking),
        ...[...devices].map(([id, reports]) => deviceReport(t.url, u.projectId, id, u.deviceToken, reports)),
      ];
      await Promise.all(requests);
      // 30 s of class pass in a moment here, so the recorder, which polls its task in real
      // time, is given the moment to begin whoever started speaking before they stop.
      const speakers = speaking.filter((e) => e.type === "gme.audio.started").map((e) => e.data.userId);
      if (gmeTaskId !== 0 && speakers.length > 0) await recorded(gme, u.bizId, gmeTaskId, speakers);
      await ingestEvents(
        t.url,
        u.gmeKey,
        voice.filter((e) => e.type === "gme.audio.stopped"),
      );
      counts.classEvents += inStep.length;
      counts.qosSamples += qos.length;
      counts.deviceReports += [...devices.values()].reduce((n, r) => n + r.length, 0);
      counts.requests += requests.length + (qos.length > 0 ? 1 : 0);

      if (from === 0) {
        // The teacher is in (and on the mic, so in the voice room): the whiteboard push
        // starts, and the recording of the voice room.
        const sig = makeUserSig(u.sdkAppId, pushUser, "demo-im-secret", 86400, Math.floor(nowMs / 1000));
        pushTaskId = (
          await politely(() =>
            tiw.StartWhiteboardPush({ SdkAppId: u.sdkAppId, RoomId: u.roomId, PushUserId: pushUser, PushUserSig: sig } as never),
          )
        ).TaskId!;
        await snapshot(mmss(to), pushTaskId);
        await worker.start(pushTaskId, Math.floor(nowMs / 1000));
        await snapshot(mmss(to), pushTaskId);
        gmeTaskId = (await politely(() => gme.StartRecord({ BizId: u.bizId, RoomId: voiceRoom, RecordMode: 3 }))).TaskId!;
        const simulate = simulators["gme-record"];
        if (!simulate) throw new Error("this roomledger has no simulated gme-record worker");
        recorder = simulate({
          baseUrl: t.url,
          credential: u.recorderCredential,
          workerId: "demo-recorder (simulated)",
          startDelayMs: 0,
          failureRate: 0,
          once: true,
          signal: recorderAbort.signal,
          log: () => {},
        });
        // Its failure is reported where the demo waits for it, not as an unhandled rejection.
        recorder.catch(() => {});
      }
      if (from < PUSH_EXCEPTION_AT && to >= PUSH_EXCEPTION_AT) {
        await worker.exception(40010, `the push's network to TRTC was interrupted for 3 s (simulated), at ${mmss(PUSH_EXCEPTION_AT)}`);
        await snapshot(mmss(to), pushTaskId);
      }
      progress(Math.max(0, to) / CLASS_SECONDS, `class ${mmss(Math.max(0, to))} / ${mmss(CLASS_SECONDS)}`);
    }

    // The end of the class: the push and the recording are stopped, then the room ends.
    await politely(() => tiw.StopWhiteboardPush({ SdkAppId: u.sdkAppId, TaskId: pushTaskId }));
    await snapshot(mmss(CLASS_SECONDS - 1), pushTaskId);
    await worker.confirmStop();
    await snapshot(mmss(CLASS_SECONDS - 1), pushTaskId);
    await politely(() => gme.StopRecord({ TaskId: gmeTaskId, BizId: u.bizId }));
    await advanceTo(CLASS_SECONDS);
    // Sessions ending exactly at the end of the scenario.
    const last = deviceReports(s.fleet, u.projectId, u.startS, CLASS_SECONDS - 1, CLASS_SECONDS + 1);
    await Promise.all([...last].map(([id, reports]) => deviceReport(t.url, u.projectId, id, u.deviceToken, reports)));
    counts.deviceReports += [...last.values()].reduce((n, r) => n + r.length, 0);
    progress(1, "waiting for the recorder and the QoS reporter to finish");
    await withTimeout(recorder!, 60_000, "the simulated recorder did not finish");
    await qosChain;
    if (qosFailure) throw qosFailure;
  } finally {
    await qosChain;
    worker.close();
    recorderAbort.abort();
  }
  return { pushTaskId, pushJourney: journey, gmeTaskId, counts };
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
