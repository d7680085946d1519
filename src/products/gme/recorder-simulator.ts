// A SIMULATED GME recorder (`roomledger worker simulate --kind gme-record`), for tests and
// the demo. It speaks the real agent protocol and reads the real task view; only the media
// work is pretend: no audio is captured, transcoded or uploaded. It begins the streams the
// task view asks for, captures only those the view lists in `capture` (a stream whose user
// was muted by ModifyUserMicStatus, stopped or left is paused, and logged so), and after the
// stop walks every stream through 10 → 11 → 12 → 13 → 14,
// one step per tick. With a failure rate it "crashes" (stops heartbeating and abandons the
// task) so that lease expiry can be seen at work.
import { setTimeout as sleep } from "node:timers/promises";
import type { AgentClient } from "../../agent/client.ts";
import { claimLoop, SimulatedCrash, type HeldTask } from "../../agent/claim-loop.ts";
import type { WorkerSimulator, WorkerSimulatorOptions } from "../../agent/simulator.ts";
import { POST_RECORDING_STATUSES } from "./recording.ts";
import type { RecordTaskView } from "./recorder-routes.ts";
import { RECORD_KIND } from "./task-lifecycle.ts";

const MAX_REPORTS = 1000;

export const gmeRecorderSimulator: WorkerSimulator = (o) =>
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
  const res = await h.get(`${o.baseUrl.replace(/\/$/, "")}/gme/v1/record-tasks/${h.task.taskId}`, {
    authorization: `Bearer ${o.credential}`,
  });
  if (!res.ok) throw new Error(`task view ${h.task.taskId}: ${res.status} ${await res.text()}`);
  return (await res.json()) as RecordTaskView;
}

async function report(client: AgentClient, taskId: string, reports: { type: string; data: Record<string, unknown> }[]): Promise<void> {
  for (let i = 0; i < reports.length; i += MAX_REPORTS) await client.report(taskId, reports.slice(i, i + MAX_REPORTS));
}

async function record(o: WorkerSimulatorOptions, h: HeldTask<unknown>, tick: number): Promise<void> {
  const { client } = h;
  const taskId = h.task.taskId;
  const alive = async () => {
    const hb = await client.heartbeat(taskId);
    if (o.failureRate > 0 && Math.random() < o.failureRate) throw new SimulatedCrash();
    return hb;
  };
  await sleep(o.startDelayMs);
  // Recording: begin what the task wants, capture what it lists, until told to stop.
  let capturing = new Set<string>();
  for (;;) {
    const hb = await alive();
    const v = await view(o, h);
    const now = new Set(v.capture);
    const paused = [...capturing].filter((u) => !now.has(u));
    const resumed = v.capture.filter((u) => !capturing.has(u) && v.streams.some((s) => s.userId === u));
    if (paused.length > 0) o.log(`task ${taskId}: paused ${paused.join(", ")}`);
    if (resumed.length > 0) o.log(`task ${taskId}: resumed ${resumed.join(", ")}`);
    capturing = now;
    if (v.toBegin.length > 0) {
      await report(
        client,
        taskId,
        v.toBegin.map((userId) => ({ type: "stream.began", data: { userId } })),
      );
      o.log(`task ${taskId}: began ${v.toBegin.join(", ")}`);
    }
    if (hb.stop || v.state !== "recording") break;
    await sleep(tick);
  }
  // Transcoding and uploading, simulated: every stream one step per tick.
  const { streams } = await view(o, h);
  for (const status of POST_RECORDING_STATUSES) {
    await sleep(tick);
    await alive();
    await report(
      client,
      taskId,
      streams.filter((s) => s.status <= status).map((s) => ({ type: "stream.status", data: { userId: s.userId, status } })),
    );
  }
  await client.report(taskId, [{ type: "task.finished", data: {} }]);
}
