// The behaviour model of client QoS: every participant's client measures its uplink every
// `everyS` seconds while it is in the room (SparkRTC's client QoS metric ids). Values are a
// deterministic function of (user, time), so a series can be recomputed from the script;
// a member who drops has a bad network in the minute before the drop.
import { noise } from "./random.ts";
import { onlineAt, type ClassScript, type MemberStory } from "./class-model.ts";

export const QOS_METRICS = ["appcpu", "syscpu", "abit", "aloss", "artt", "vbit", "vfps", "vloss", "vrtt"] as const;
export type QosMetric = (typeof QOS_METRICS)[number];

export interface QosLine {
  ctime: number;
  room_id: string;
  uid: string;
  stream_id: string;
  metrics: Record<QosMetric, number>;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The uplink metrics of `key`'s client at second t; `trouble` 0..1 worsens the network. */
export function qosMetrics(key: string, t: number, trouble = 0): Record<QosMetric, number> {
  const r = (i: number) => noise(key, t * 16 + i);
  return {
    appcpu: round1(8 + 12 * r(0)),
    syscpu: round1(20 + 40 * r(1)),
    abit: round1(32 + 16 * r(2)),
    aloss: round1(r(3) * 2 + trouble * 25),
    artt: Math.round(30 + 60 * r(4) + trouble * 400),
    vbit: Math.round(600 + 900 * r(5) - trouble * 450),
    vfps: Math.round(24 + 6 * r(6) - trouble * 12),
    vloss: round1(r(7) * 3 + trouble * 30),
    vrtt: Math.round(35 + 70 * r(8) + trouble * 450),
  };
}

/** How bad the member's network is at t: rising over the minute before a dropped connection. */
export function troubleAt(m: MemberStory, t: number): number {
  for (const v of m.visits) {
    if (v.reason === "dropped" && v.leave !== null && t < v.leave && t >= v.leave - 60) return (t - (v.leave - 60)) / 60;
  }
  return 0;
}

/**
 * The samples of every member of a class in [fromS, toS) (seconds from the class's start,
 * inside the class), one per member every `everyS` seconds while the member is in the room.
 */
export function qosLines(
  script: ClassScript,
  roomId: string,
  startS: number,
  fromS: number,
  toS: number,
  userIdOf: (name: string) => string,
  everyS = 2,
): QosLine[] {
  const out: QosLine[] = [];
  const first = Math.max(0, Math.ceil(fromS / everyS) * everyS);
  for (let t = first; t < Math.min(toS, script.durationS); t += everyS) {
    for (const m of script.members) {
      if (!onlineAt(m, t)) continue;
      const uid = userIdOf(m.name);
      out.push({ ctime: (startS + t) * 1000, room_id: roomId, uid, stream_id: "main", metrics: qosMetrics(m.name, t, troubleAt(m, t)) });
    }
  }
  return out;
}
