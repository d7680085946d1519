// Shared set-up of the GME tests: an SDK client, a GME app with recording opened, voice-room
// ingest events, and a recorder speaking the agent protocol step by step.
import { randomUUID } from "node:crypto";
import { AgentClient } from "../../src/agent/client.ts";
import type { TestServer } from "../support/server.ts";
import { clientConfig, sdk, type ClientOptions } from "../support/tencent.ts";

export type GmeClient = InstanceType<typeof sdk.gme.v20180711.Client>;

export const gmeClient = (server: TestServer, o: ClientOptions = {}): GmeClient =>
  new sdk.gme.v20180711.Client(clientConfig(server, o) as never);

export async function setRecording(server: TestServer, bizId: string, change: { opened?: boolean; emptyRoomStopSeconds?: number | null }) {
  return server.admin("POST", `/gme/apps/${bizId}/recording`, change);
}

/** A GME app with recording opened, its ingest key, a recorder's worker credential (gme-record) and a room. */
export async function recordingApp(server: TestServer, opts: { emptyRoomStopSeconds?: number | null } = {}) {
  const bizId = await server.createApp(["gme"], "voice");
  await setRecording(server, bizId, { opened: true, ...opts });
  const key = await server.ingestKey(bizId);
  const worker = await server.workerCredential(bizId, ["gme-record"]);
  return { bizId, key, worker, BizId: Number(bizId), room: new Room(server, key) };
}

export type MemberEvent = "gme.user.entered" | "gme.user.left" | "gme.audio.started" | "gme.audio.stopped";

/** Sends voice-room events; ctime increases by 1 ms per event so their order is explicit. */
export class Room {
  private clock = Date.now();
  private readonly server: TestServer;
  private readonly key: string;
  constructor(server: TestServer, key: string) {
    this.server = server;
    this.key = key;
  }

  async send(events: [MemberEvent, string, string][]): Promise<void> {
    const body = events.map(([type, roomId, userId]) => ({ id: randomUUID(), type, ctime: ++this.clock, data: { roomId, userId } }));
    const res = await ingest(this.server, this.key, body);
    if (res.status !== 200) throw new Error(`ingest ${res.status}: ${JSON.stringify(res.body)}`);
  }
  /** Users enter and start sending audio. */
  speak(roomId: string, ...users: string[]) {
    return this.send(
      users.flatMap((u) => [["gme.user.entered", roomId, u] as [MemberEvent, string, string], ["gme.audio.started", roomId, u]]),
    );
  }
  enter(roomId: string, ...users: string[]) {
    return this.send(users.map((u) => ["gme.user.entered", roomId, u]));
  }
  leave(roomId: string, ...users: string[]) {
    return this.send(users.map((u) => ["gme.user.left", roomId, u]));
  }
  mute(roomId: string, ...users: string[]) {
    return this.send(users.map((u) => ["gme.audio.stopped", roomId, u]));
  }
}

export async function ingest(server: TestServer, key: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/ingest/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** A recorder with a worker credential of the app (recordingApp's `worker`). */
export const recorderClient = (server: TestServer, credential: string, workerId = `rec-${randomUUID().slice(0, 8)}`) =>
  new AgentClient({ baseUrl: server.url, credential, workerId });

export interface TaskView {
  state: string;
  recordMode: number;
  capture: string[];
  toBegin: string[];
  streams: { userId: string; status: number; fileName: string; beginTime: number }[];
}

export async function taskView(server: TestServer, key: string, taskId: number | string): Promise<TaskView> {
  const res = await fetch(`${server.url}/gme/v1/record-tasks/${taskId}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`task view ${res.status}: ${await res.text()}`);
  return (await res.json()) as TaskView;
}

/** What the simulated recorder does on a tick, done by hand: begin what the view asks for. */
export async function beginWanted(server: TestServer, key: string, recorder: AgentClient, taskId: number): Promise<string[]> {
  const v = await taskView(server, key, taskId);
  if (v.toBegin.length)
    await recorder.report(
      String(taskId),
      v.toBegin.map((userId) => ({ type: "stream.began", data: { userId } })),
    );
  return v.toBegin;
}

export const statusesOf = (info: { RecordInfo?: { UserId: string; RecordStatus: number }[] }) =>
  Object.fromEntries((info.RecordInfo ?? []).map((r) => [r.UserId, r.RecordStatus]));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until check() returns a value (no timing assertion: only a generous deadline). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
