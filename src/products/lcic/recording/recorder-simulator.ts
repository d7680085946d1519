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
import { AgentClient, AgentProtocolError } from "../../../agent/client.ts";
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../../agent/simulator.ts";
import type { RecordTaskView } from "./recorder-route.ts";
import { RECORD_KIND } from "./record-lifecycle.ts";

/** Bytes per second of the pretend files (1 Mbit/s). */
const BYTES_PER_S = 125_000;

class Crash extends Error {}

export const lcicRecorderSimulator: WorkerSimulator = async (o) => {
  const client = new AgentClient(o);
  while (!o.signal.aborted) {
    const { task, leaseMs } = await client.claim(RECORD_KIND);
    const tick = Math.min(Math.max(Math.floor(leaseMs / 4), 20), 500);
    if (!task) {
      await sleep(tick, undefined, { signal: o.signal }).catch(() => undefined);
      continue;
    }
    o.log(`claimed task ${task.taskId} (attempt ${task.attempt})`);
    try {
      await record(o, client, task.taskId, tick);
      o.log(`task ${task.taskId} finished`);
    } catch (err) {
      if (err instanceof Crash) o.log(`task ${task.taskId}: simulated crash, abandoning it`);
      else if (err instanceof AgentProtocolError && err.status === 409) o.log(`task ${task.taskId}: ${err.message}`);
      else throw err;
    }
    if (o.once) return;
  }
};

async function view(o: WorkerSimulatorOptions, taskId: string): Promise<RecordTaskView> {
  const res = await fetch(`${o.baseUrl.replace(/\/$/, "")}/lcic/v1/record-tasks/${taskId}`, {
    headers: { authorization: `Bearer ${o.credential}` },
  });
  if (!res.ok) throw new Error(`task view ${taskId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecordTaskView;
}

/** A VOD-style file id: 19 digits, as the cloud's VideoIds look. */
const videoId = (): string => `${randomInt(1, 10)}${Array.from({ length: 18 }, () => randomInt(0, 10)).join("")}`;

async function record(o: WorkerSimulatorOptions, client: AgentClient, taskId: string, tick: number): Promise<void> {
  const alive = async () => {
    const hb = await client.heartbeat(taskId);
    if (o.failureRate > 0 && Math.random() < o.failureRate) throw new Crash();
    return hb;
  };
  await sleep(o.startDelayMs);
  await client.report(taskId, [{ type: "record.began", data: {} }]);
  for (;;) {
    // Told to quit (the command stopped): abandon the task, as a crash would.
    if (o.signal.aborted) throw new Crash();
    const hb = await alive();
    if (hb.stop) break;
    await sleep(tick);
  }
  await sleep(tick);
  await alive();
  const v = await view(o, taskId);
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
