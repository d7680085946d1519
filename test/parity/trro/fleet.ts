// The TRRO data the parity cases read: a project with a field device and a remote device,
// both online, one session between them with metrics, ended, and one still running. Built
// once per server through ctx.call (so the requests are checked against the model too).
import type { TestServer } from "../../support/server.ts";
import { Device, domainNow, TOKEN } from "../../trro/trro-support.ts";
import type { ParityContext } from "../case.ts";

export interface TrroFleet {
  projectId: string;
  ended: string;
  running: string;
  /** Domain time of the first report, ms. */
  t0: number;
}

const built = new WeakMap<TestServer, Promise<TrroFleet>>();

export function trroFleet(ctx: ParityContext): Promise<TrroFleet> {
  let p = built.get(ctx.server);
  if (!p) {
    p = build(ctx);
    built.set(ctx.server, p);
  }
  return p;
}

/** A new project with the given devices (fields of the request all set). */
export async function project(ctx: ParityContext, name: string, devices: { id: string; type: "field" | "remote" }[] = []) {
  const { ProjectId } = await ctx.call("CreateProject", { ProjectName: name, ProjectDescription: `${name} yard`, PolicyMode: "black" });
  for (const d of devices)
    await ctx.call("CreateDevice", { ProjectId, DeviceId: d.id, DeviceName: `${d.id} name`, DeviceType: d.type, DeviceToken: TOKEN });
  return ProjectId as string;
}

async function build(ctx: ParityContext): Promise<TrroFleet> {
  const projectId = await project(ctx, "harbour", [
    { id: "truck1", type: "field" },
    { id: "op1", type: "remote" },
    { id: "truck2", type: "field" },
  ]);
  const truck1 = new Device(ctx.server, projectId, "truck1", TOKEN);
  const op1 = new Device(ctx.server, projectId, "op1", TOKEN);
  const truck2 = new Device(ctx.server, projectId, "truck2", TOKEN);
  const t0 = await domainNow(ctx.server);
  for (const d of [truck1, op1, truck2]) await d.online(t0);
  const ended = `${projectId}-ended`;
  const running = `${projectId}-running`;
  await truck1.start(ended, "op1", t0 + 1000, { width: 1280, height: 720, ver: "1.4.2", sdkMode: "p2p" });
  await op1.start(ended, "truck1", t0 + 1200, { ver: "1.4.1", sdkMode: "p2p" });
  for (let i = 0; i < 5; i++) {
    await truck1.metrics(ended, t0 + 2000 + i * 1000, { networkLatency: 40 + i });
    await op1.metrics(ended, t0 + 2000 + i * 1000, { videoLatency: 150 });
  }
  await op1.end(ended, t0 + 8000);
  await truck2.start(running, "op1", t0 + 9000, { width: 1920, height: 1080 });
  await truck2.metrics(running, t0 + 10_000);
  await ctx.server.advance(12); // the reports are in the past
  return { projectId, ended, running, t0 };
}
