// The traffic of many rooms and a fleet, from the behaviour models, as a stream in scenario
// time: windows of `windowS` scenario seconds, each holding the class events of every room,
// every participant's QoS samples and every device's reports in that window. `roomledger
// simulate` and benchmarks pull from it at the pace they want.
import { classEvents, type ClassEvent, type ClassScript } from "./class-model.ts";
import { qosLines, type QosLine } from "./qos-model.ts";
import { deviceReports, type DeviceReport, type FleetScript } from "./device-model.ts";

export interface SimRoom {
  roomId: number;
  script: ClassScript;
  userIds: Map<string, string>;
  events: ClassEvent[];
}

export type Item =
  | { kind: "class"; event: ClassEvent }
  | { kind: "qos"; line: QosLine }
  | { kind: "device"; device: string; report: DeviceReport };

export interface TrafficOptions {
  rooms: { roomId: number; script: ClassScript; userIds: Map<string, string> }[];
  fleet: FleetScript | null;
  projectId: string;
  /** Unix seconds of scenario second 0. */
  startS: number;
  qosEveryS: number;
  windowS?: number;
}

export class Traffic {
  private readonly rooms: SimRoom[];
  private readonly o: TrafficOptions;
  private readonly queue: Item[] = [];
  private head = 0;
  /** Scenario seconds generated so far. */
  scenarioS = 0;
  readonly endS: number;
  /** Where scenario time began (at or before 0). */
  readonly beginS: number;

  constructor(o: TrafficOptions) {
    this.o = o;
    this.rooms = o.rooms.map((r) => ({
      ...r,
      events: classEvents(r.script, r.roomId, o.startS, (n) => r.userIds.get(n)!, `sim-${r.roomId}`),
    }));
    // Some arrive in the waiting room before the start: scenario time begins with them.
    const firstJoin = Math.min(0, ...o.rooms.flatMap((r) => r.script.members.map((m) => m.visits[0]?.join ?? 0)));
    this.beginS = this.scenarioS = Math.floor(firstJoin / (o.windowS ?? 10)) * (o.windowS ?? 10);
    this.endS = Math.max(
      0,
      ...o.rooms.map((r) => r.script.durationS),
      o.fleet ? Math.max(0, ...o.fleet.sessions.map((s) => s.end + 1)) : 0,
    );
  }

  private generate(): boolean {
    if (this.scenarioS >= this.endS) return false;
    const w = this.o.windowS ?? 10;
    const from = this.scenarioS;
    const to = from + w;
    const lo = (this.o.startS + from) * 1000;
    const hi = (this.o.startS + to) * 1000;
    const items: Item[] = [];
    for (const r of this.rooms) {
      for (const e of r.events) if (e.ctime >= lo && e.ctime < hi) items.push({ kind: "class", event: e });
      for (const line of qosLines(r.script, String(r.roomId), this.o.startS, from, to, (n) => r.userIds.get(n)!, this.o.qosEveryS))
        items.push({ kind: "qos", line });
    }
    if (this.o.fleet) {
      for (const [device, reports] of deviceReports(this.o.fleet, this.o.projectId, this.o.startS, from, to)) {
        for (const report of reports) items.push({ kind: "device", device, report });
      }
    }
    // Scenario order inside the window (the time each item was observed).
    const at = (i: Item) => (i.kind === "class" ? i.event.ctime : i.kind === "qos" ? i.line.ctime : i.report.ctime);
    items.sort((a, b) => at(a) - at(b));
    if (this.head > 10_000) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.queue.push(...items);
    this.scenarioS = to;
    return true;
  }

  /** The next n items (fewer when the scenario is over). */
  take(n: number): Item[] {
    while (this.queue.length - this.head < n && this.generate()) {}
    const out = this.queue.slice(this.head, this.head + n);
    this.head += out.length;
    return out;
  }
}
