// `roomledger simulate`: the behaviour models at a chosen scale, sent as real traffic (the
// ingest API, the QoS stream, TRRO device reports) at a requested rate; prints what was
// achieved. Scenario time runs as fast as the rate asks (the speed-up is printed); events
// carry their scenario times, starting at the next minute of the server's clock.
import { randomBytes } from "node:crypto";
import { classScript } from "./class-model.ts";
import { fleetScript } from "./device-model.ts";
import { pace } from "./pacer.ts";
import { Traffic, type Item } from "./traffic.ts";
import { lcicClient, politely, trroClient } from "../demo/clients.ts";
import { deviceReport, ingestEvents, ingestQos } from "../demo/reporters.ts";
import type { Target } from "../demo/target.ts";

export interface SimulateOptions {
  rooms: number;
  students: number;
  devices: number;
  durationS: number;
  ratePerS: number;
  qosEveryS: number;
  seed: number;
}

export interface SimulateResult {
  requested: number;
  achieved: number;
  sent: number;
  byKind: Record<Item["kind"], number>;
  elapsedS: number;
  exhausted: boolean;
  /** Scenario seconds covered per wall second. */
  speedUp: number;
}

async function app(t: Target, products: string[]): Promise<{ appId: string; key: string }> {
  const { appId } = await t.admin<{ appId: string }>("POST", "/apps", { products, name: "simulate" });
  return { appId, key: (await t.admin<{ key: string }>("POST", "/ingest-keys", { appId })).key };
}

export async function runSimulate(t: Target, o: SimulateOptions): Promise<SimulateResult> {
  const durationS = 45 * 60;
  const { now } = await t.admin<{ now: number }>("GET", "/clock");
  const startS = Math.ceil(now / 60_000) * 60 + 60;
  const school = await app(t, ["lcic"]);
  const rtc = await app(t, ["rtc"]);
  const lcic = lcicClient(t);
  const sdkAppId = Number(school.appId);
  const rooms = [];
  for (let r = 0; r < o.rooms; r++) {
    const script = classScript({ students: o.students, durationS, seed: o.seed + r });
    const userIds = new Map<string, string>();
    const users = await politely(() => lcic.BatchRegister({ Users: script.members.map((m) => ({ SdkAppId: sdkAppId, Name: m.name })) }));
    users.Users!.forEach((u, i) => userIds.set(script.members[i]!.name, u.UserId!));
    const teacher = script.members.find((m) => m.role === 1)!;
    const { RoomId } = await politely(() =>
      lcic.CreateRoom({
        SdkAppId: sdkAppId,
        Name: `Simulated class ${r + 1}`,
        StartTime: startS,
        EndTime: startS + durationS,
        Resolution: 1,
        MaxMicNumber: 6,
        SubType: "videodoc",
        TeacherId: userIds.get(teacher.name)!,
      } as never),
    );
    rooms.push({ roomId: RoomId!, script, userIds });
  }
  let projectId = "";
  const token = randomBytes(8).toString("hex");
  const consoles = Math.ceil(o.devices / 4);
  const fleet = o.devices > 0 ? fleetScript({ fields: o.devices, consoles, durationS }) : null;
  if (fleet) {
    const trro = trroClient(t);
    projectId = (await politely(() => trro.CreateProject({ ProjectName: "Simulated fleet" } as never))).ProjectId!;
    for (const [ids, type] of [
      [fleet.fields, "field"],
      [fleet.consoles, "remote"],
    ] as const) {
      for (const id of ids)
        await politely(() =>
          trro.CreateDevice({ ProjectId: projectId, DeviceId: id, DeviceName: id, DeviceType: type, DeviceToken: token }),
        );
    }
  }
  const traffic = new Traffic({ rooms, fleet, projectId, startS, qosEveryS: o.qosEveryS });
  const byKind: SimulateResult["byKind"] = { class: 0, qos: 0, device: 0 };
  // A device reports in order, one request after the other (its session must have started
  // before its metrics arrive), while the pacer keeps several sends in flight.
  const deviceQueues = new Map<string, Promise<unknown>>();
  const fromDevice = (id: string, reports: unknown[]): Promise<unknown> => {
    const next = (deviceQueues.get(id) ?? Promise.resolve()).then(() => deviceReport(t.url, projectId, id, token, reports));
    deviceQueues.set(
      id,
      next.catch(() => {}),
    );
    return next;
  };
  const send = async (items: Item[]) => {
    const cls = items.flatMap((i) => (i.kind === "class" ? [i.event] : []));
    const qos = items.flatMap((i) => (i.kind === "qos" ? [i.line] : []));
    const devices = new Map<string, unknown[]>();
    for (const i of items) if (i.kind === "device") devices.set(i.device, [...(devices.get(i.device) ?? []), i.report]);
    await Promise.all([
      ingestEvents(t.url, school.key, cls),
      ingestQos(t.url, rtc.key, qos),
      ...[...devices].map(([id, reports]) => fromDevice(id, reports)),
    ]);
    for (const i of items) byKind[i.kind]++;
  };
  const r = await pace({ ratePerS: o.ratePerS, durationS: o.durationS }, (n) => traffic.take(n), send);
  return {
    requested: o.ratePerS,
    achieved: r.sent / r.elapsedS,
    sent: r.sent,
    byKind,
    elapsedS: r.elapsedS,
    exhausted: r.exhausted,
    speedUp: (traffic.scenarioS - traffic.beginS) / r.elapsedS,
  };
}

export function formatSimulate(o: SimulateOptions, r: SimulateResult): string {
  const within = Math.abs(r.achieved - r.requested) <= 0.1 * r.requested;
  const rate = (n: number) => `${(n / r.elapsedS).toFixed(1)}/s`;
  return [
    `simulated ${o.rooms} room(s) of ${o.students} students, ${o.devices} field device(s), QoS every ${o.qosEveryS} s; ` +
      `${r.elapsedS.toFixed(1)} s at a requested ${o.ratePerS} events/s (scenario time x${r.speedUp.toFixed(0)})`,
    `  class events   ${String(r.byKind.class).padStart(8)}  ${rate(r.byKind.class)}`,
    `  QoS samples    ${String(r.byKind.qos).padStart(8)}  ${rate(r.byKind.qos)}`,
    `  device reports ${String(r.byKind.device).padStart(8)}  ${rate(r.byKind.device)}`,
    `  total          ${String(r.sent).padStart(8)}  ${r.achieved.toFixed(1)}/s achieved of ${r.requested}/s requested: ${within ? "within 10%" : "NOT within 10%"}` +
      (r.exhausted ? " (the scenario ran out: raise --rooms, --students or --devices)" : ""),
  ].join("\n");
}
