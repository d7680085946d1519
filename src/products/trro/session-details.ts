// SessionDeviceDetail from a session and its samples: one entry per side that reported, its
// series one point per sample in time order. Pure.
//
// - StartTime/EndTime: the first and last sample of that side in the selection (Unix s);
//   a side without samples gives the session's start and end (or last report).
// - TimeOffset[i]: seconds from StartTime to sample i.
// - A series a device does not send is [] when no sample has it; when some samples have
//   it, the others count 0 there, so every series stays aligned with TimeOffset.
// - MultiNet: one entry per network id, its series aligned with the samples that carry it.
import type { FullSessionRow, SampleRow } from "./session-queries.ts";
import { unixSeconds } from "./wire-format.ts";

const SERIES: [wire: string, key: string][] = [
  ["Rate", "rate"],
  ["Fps", "fps"],
  ["Lost", "lost"],
  ["NetworkLatency", "networkLatency"],
  ["VideoLatency", "videoLatency"],
  ["CpuUsed", "cpuUsed"],
  ["MemUsed", "memUsed"],
  ["DecodeCost", "decodeCost"],
  ["K100", "k100"],
  ["K150", "k150"],
  ["NACK", "nack"],
  ["BitRateEstimate", "bitRateEstimate"],
  ["EncodeCost", "encodeCost"],
  ["CaptureCost", "captureCost"],
  ["RenderCost", "renderCost"],
  ["FrameDelta", "frameDelta"],
  ["MaxFrameDelta", "maxFrameDelta"],
  ["TotalBitrateEstimate", "totalBitrateEstimate"],
  ["Lag100Duration", "lag100Duration"],
  ["Lag150Duration", "lag150Duration"],
  ["ControlLatency", "controlLatency"],
];

interface NetPoint {
  netId: number;
  netIp?: string;
  rtt?: number;
  lost?: number;
  sendBps?: number;
  recvBps?: number;
}

const num = (v: unknown): number => (typeof v === "number" ? v : 0);

export function sessionDetails(projectId: string, s: FullSessionRow, samples: SampleRow[]): Record<string, unknown>[] {
  const sides = [
    { type: "field", deviceId: s.field_device_id, info: s.field_info },
    { type: "remote", deviceId: s.remote_device_id, info: s.remote_info },
  ];
  const out: Record<string, unknown>[] = [];
  for (const side of sides) {
    const mine = samples.filter((x) => x.device_id === side.deviceId);
    if (mine.length === 0 && side.info === null) continue; // this side never reported
    const info = (side.info ?? {}) as Record<string, unknown>;
    const start = mine.length ? unixSeconds(mine[0]!.t) : unixSeconds(s.start_time);
    const end = mine.length ? unixSeconds(mine[mine.length - 1]!.t) : unixSeconds(s.end_time ?? s.last_report_time);
    const detail: Record<string, unknown> = {
      DeviceType: side.type,
      StartTime: start,
      EndTime: end,
      SessionId: s.session_id,
      ProjectId: projectId,
      DeviceId: side.deviceId,
      Ver: typeof info.ver === "string" ? info.ver : "",
      SdkMode: typeof info.sdkMode === "string" ? info.sdkMode : "",
      TimeOffset: mine.map((x) => unixSeconds(x.t) - start),
    };
    for (const [wire, key] of SERIES) {
      detail[wire] = mine.some((x) => key in x.m) ? mine.map((x) => num(x.m[key])) : [];
    }
    // The latest size a sample reported, else the size reported at the start.
    const sized = [...mine].reverse().find((x) => typeof x.m.width === "number" && typeof x.m.height === "number");
    detail.Width = sized ? num(sized.m.width) : num(info.width);
    detail.Height = sized ? num(sized.m.height) : num(info.height);
    detail.ConfigWidth = num(info.configWidth);
    detail.ConfigHeight = num(info.configHeight);
    detail.MultiMode = num(info.multiMode);
    detail.MultiNet = multiNet(mine);
    out.push(detail);
  }
  return out;
}

function multiNet(samples: SampleRow[]): Record<string, unknown>[] {
  const nets = new Map<number, { NetId: number; NetIp: string; Rtt: number[]; Lost: number[]; SendBps: number[]; RecvBps: number[] }>();
  for (const x of samples) {
    for (const n of (x.m.multiNet ?? []) as NetPoint[]) {
      let e = nets.get(n.netId);
      if (!e) nets.set(n.netId, (e = { NetId: n.netId, NetIp: n.netIp ?? "", Rtt: [], Lost: [], SendBps: [], RecvBps: [] }));
      if (n.netIp) e.NetIp = n.netIp;
      e.Rtt.push(num(n.rtt));
      e.Lost.push(num(n.lost));
      e.SendBps.push(num(n.sendBps));
      e.RecvBps.push(num(n.recvBps));
    }
  }
  return [...nets.values()].sort((a, b) => a.NetId - b.NetId);
}
