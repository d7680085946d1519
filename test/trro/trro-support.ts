// Helpers of the TRRO tests: the official SDK client and a device that reports over HTTP.
import { sdk, clientConfig, type ClientOptions } from "../support/tencent.ts";
import type { TestServer } from "../support/server.ts";

export type TrroClient = InstanceType<typeof sdk.trro.v20220325.Client>;

export function trroClient(server: TestServer, o: ClientOptions = {}): TrroClient {
  return new sdk.trro.v20220325.Client(clientConfig(server, o) as never);
}

export interface ReportAnswer {
  status: number;
  body: any;
}

/** A device reporting to /ingest/v1/trro/reports with its own credentials. */
export class Device {
  private seq = 0;
  readonly server: TestServer;
  readonly projectId: string;
  readonly deviceId: string;
  token: string;
  constructor(server: TestServer, projectId: string, deviceId: string, token: string) {
    this.server = server;
    this.projectId = projectId;
    this.deviceId = deviceId;
    this.token = token;
  }

  async post(events: unknown[], headers: Record<string, string> = {}, contentType = "application/json"): Promise<ReportAnswer> {
    const body = contentType === "application/json" ? JSON.stringify(events) : events.map((e) => JSON.stringify(e)).join("\n");
    const res = await fetch(`${this.server.url}/ingest/v1/trro/reports`, {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-trro-project-id": this.projectId,
        "x-trro-device-id": this.deviceId,
        authorization: `Bearer ${this.token}`,
        ...headers,
      },
      body,
    });
    return { status: res.status, body: await res.json() };
  }

  /** Reports and expects success. */
  async report(...events: { type: string; ctime: number; data?: Record<string, unknown>; id?: string }[]): Promise<any> {
    const res = await this.post(events.map((e) => ({ id: e.id ?? `e${++this.seq}`, type: e.type, ctime: e.ctime, data: e.data ?? {} })));
    if (res.status !== 200) throw new Error(`report by ${this.deviceId} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  online(ctime: number) {
    return this.report({ type: "trro.device.online", ctime });
  }
  heartbeat(ctime: number) {
    return this.report({ type: "trro.device.heartbeat", ctime });
  }
  start(sessionId: string, peer: string, ctime: number, extra: Record<string, unknown> = {}) {
    return this.report({ type: "trro.session.started", ctime, data: { sessionId, peerDeviceId: peer, ...extra } });
  }
  metrics(sessionId: string, ctime: number, m: Partial<Metrics> = {}) {
    return this.report({ type: "trro.session.metrics", ctime, data: { sessionId, ...goodMetrics, ...m } });
  }
  end(sessionId: string, ctime: number) {
    return this.report({ type: "trro.session.ended", ctime, data: { sessionId } });
  }
}

export interface Metrics {
  rate: number;
  fps: number;
  lost: number;
  networkLatency: number;
  videoLatency: number;
  cpuUsed: number;
  memUsed: number;
}

export const goodMetrics: Metrics = { rate: 2000, fps: 30, lost: 0.5, networkLatency: 40, videoLatency: 120, cpuUsed: 35, memUsed: 48 };
export const badMetrics: Metrics = { rate: 300, fps: 8, lost: 20, networkLatency: 450, videoLatency: 900, cpuUsed: 90, memUsed: 80 };

export const TOKEN = "Abcdef0123456789";

/** A project with devices (created through the SDK), and their reporters. */
export async function fleet(
  server: TestServer,
  client: TrroClient,
  devices: { id: string; type: "field" | "remote" }[],
  name = "fleet",
): Promise<{ projectId: string; dev: Record<string, Device> }> {
  const { ProjectId } = await client.CreateProject({ ProjectName: name });
  const dev: Record<string, Device> = {};
  for (const d of devices) {
    await client.CreateDevice({ ProjectId: ProjectId!, DeviceId: d.id, DeviceName: d.id, DeviceType: d.type, DeviceToken: TOKEN });
    dev[d.id] = new Device(server, ProjectId!, d.id, TOKEN);
  }
  return { projectId: ProjectId!, dev };
}

/** The server's domain clock, ms. */
export async function domainNow(server: TestServer): Promise<number> {
  return (await server.admin<{ now: number }>("GET", "/clock")).now;
}
