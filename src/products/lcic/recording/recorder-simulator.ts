// A SIMULATED LCIC class recorder (`roomledger worker simulate --kind lcic-record`), for
// tests and the demo. It speaks the real agent protocol and reads the real task view; only
// the media work is pretend: nothing is captured, encoded or uploaded. It reports that it
// began, heartbeats until the class ends or StopRecord, then "uploads" one mixed MP4 (and,
// with RecordStream 1, one per member stream the view names) and finishes.
//
// The files it reports are dated on the server's clock (the view's beganAt/stoppedAt), sized
// at a nominal 1 Mbit/s, and addressed on the reserved host `record.roomledger.invalid`
// (RFC 2606): a URL that cannot be mistaken for a real file. With a failure rate it
// "crashes" (abandons the task) so that lease expiry can be seen at work.
import { setTimeout as sleep } from "node:timers/promises";
import { randomInt } from "node:crypto";
import { claimLoop, SimulatedCrash, type HeldTask } from "../../../agent/claim-loop.ts";
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../../agent/simulator.ts";
import type { RecordTaskView } from "./recorder-route.ts";
import { RECORD_KIND } from "./record-lifecycle.ts";

/** Bytes per second of the pretend files (1 Mbit/s). */
const BYTES_PER_S = 125_000;

export const lcicRecorderSimulator: WorkerSimulator = (o) =>
  claimLoop(
    RECORD_KIND,
    o,
    async (h) => {
      const tick = Math.min(Math.max(Math.floor(h.leaseMs / 4), 20), 500);
      o.log(`claimed task ${h.task.taskId} (attempt ${h.task.attempt})`);
      await record(o, h, tick);
      o.log(`task ${h.task.taskId} finished`);
    },
    { label: (id) => `task ${id}` },
  );

async function view(o: WorkerSimulatorOptions, h: HeldTask<unknown>): Promise<RecordTaskView> {
  const res = await h.get(`${o.baseUrl.replace(/\/$/, "")}/lcic/v1/record-tasks/${h.task.taskId}`, {
    authorization: `Bearer ${o.credential}`,
  });
  if (!res.ok) throw new Error(`task view ${h.task.taskId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecordTaskView;
}

/** A VOD-style file id: 19 digits, as the cloud's VideoIds look. */
const videoId = (): string => `${randomInt(1, 10)}${Array.from({ length: 18 }, () => randomInt(0, 10)).join("")}`;

async function record(o: WorkerSimulatorOptions, h: HeldTask<unknown>, tick: number): Promise<void> {
  const { client } = h;
  const taskId = h.task.taskId;
  const alive = async () => {
    const hb = await client.heartbeat(taskId);
    if (o.failureRate > 0 && Math.random() < o.failureRate) throw new SimulatedCrash();
    return hb;
  };
  await sleep(o.startDelayMs);
  await client.report(taskId, [{ type: "record.began", data: {} }]);
  for (;;) {
    // Told to quit (the command stopped): abandon the task, as a crash would.
    if (o.signal.aborted) throw new SimulatedCrash();
    const hb = await alive();
    if (hb.stop) break;
    await sleep(tick);
  }
  await sleep(tick);
  await alive();
  const v = await view(o, h);
  const startS = Math.floor((v.beganAt ?? v.stoppedAt ?? 0) / 1000);
  const stopS = Math.max(startS, Math.floor((v.stoppedAt ?? v.beganAt ?? 0) / 1000));
  const base = `https://record.roomledger.invalid/${v.sdkAppId}/${v.roomId}/${taskId}`;
  const file = (userId: string, name: string) => ({
    type: "file.uploaded",
    data: {
      userId,
      startTime: startS,
      stopTime: stopS,
      format: "mp4",
      url: `${base}/${name}.mp4`,
      size: (stopS - startS) * BYTES_PER_S,
      videoId: videoId(),
    },
  });
  await client.report(taskId, [file("", "f0"), ...v.singleStreams.map((u) => file(u, `${encodeURIComponent(u)}_main`))]);
  await client.report(taskId, [{ type: "task.finished", data: {} }]);
}
