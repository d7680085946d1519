// What the demo must print, computed from the scenario's script alone (no server code): the
// class's statistics member by member, the QoS summary of the shown user, the sessions of the
// shown device and the recorded users.
import type { ClassScript, MemberStory } from "../../src/simulate/class-model.ts";
import type { FleetScript } from "../../src/simulate/device-model.ts";
import { qosMetrics, troubleAt, QOS_METRICS } from "../../src/simulate/qos-model.ts";

export interface ExpectedMember {
  UserName: string;
  Role: number;
  PresentTime: number;
  Camera: number;
  Mic: number;
  PerMemberMicCount: number;
  HandUps: number;
  AnswerQuestions: number;
  Rewords: number;
  PerMemberMessageCount: number;
  FirstJoinTimestamp: number;
  LastQuitTimestamp: number;
  Device: number;
  IPAddress: string;
  Location: string;
  CurrentState: number;
}

const count = (m: MemberStory, type: string) => m.acts.filter((a) => a.type === type).length;

/** Whether m is in the room at second t: a visit covers [join, leave). */
const inRoom = (m: MemberStory, t: number) => m.visits.some((v) => t >= v.join && (v.leave === null || t < v.leave));

export function expectedStatistics(script: ClassScript, startS: number) {
  const d = script.durationS;
  const members: ExpectedMember[] = script.members.map((m) => {
    // Time in the room inside the class [0, d): visits clipped to it.
    let present = 0;
    for (const v of m.visits) present += Math.max(0, Math.min(v.leave ?? d, d) - Math.max(v.join, 0));
    const last = m.visits[m.visits.length - 1]!;
    const state = last.leave === null || last.reason === "left" ? 2 : last.reason === "kicked" ? 3 : 5;
    return {
      UserName: m.name,
      Role: m.role,
      PresentTime: present,
      Camera: count(m, "lcic.camera.on") > 0 ? 1 : 0,
      Mic: count(m, "lcic.mic.on") > 0 ? 1 : 0,
      PerMemberMicCount: count(m, "lcic.mic.on"),
      HandUps: count(m, "lcic.hand.raised"),
      AnswerQuestions: count(m, "lcic.question.answered"),
      Rewords: count(m, "lcic.reward.given"),
      PerMemberMessageCount: count(m, "lcic.message.sent"),
      FirstJoinTimestamp: startS + m.visits[0]!.join,
      LastQuitTimestamp: startS + (last.leave ?? d),
      Device: m.device,
      IPAddress: m.ip,
      Location: m.location,
      CurrentState: state,
    };
  });
  let peak = 0;
  for (let t = 0; t < d; t++) peak = Math.max(peak, script.members.filter((m) => inRoom(m, t)).length);
  return {
    members,
    MemberNumber: script.members.length,
    Total: script.members.length,
    PeakMemberNumber: peak,
    MessageCount: script.members.reduce((n, m) => n + count(m, "lcic.message.sent"), 0),
    MicCount: script.members.filter((m) => m.role === 0 && count(m, "lcic.mic.on") > 0).length,
    RealStartTime: startS,
    RealEndTime: startS + d,
  };
}

/** Values are stored as float4 (Math.fround); the median of an even count is the mean of the middle two. */
export function expectedQos(script: ClassScript, name: string, everyS: number) {
  const m = script.members.find((x) => x.name === name)!;
  const times: number[] = [];
  for (let t = 0; t < script.durationS; t += everyS) if (inRoom(m, t)) times.push(t);
  return QOS_METRICS.map((mid) => {
    const v = times.map((t) => Math.fround(qosMetrics(m.name, t, troubleAt(m, t))[mid])).sort((a, b) => a - b);
    const h = v.length >> 1;
    return { mid, points: v.length, min: v[0]!, median: v.length % 2 ? v[h]! : (v[h - 1]! + v[h]!) / 2, max: v[v.length - 1]! };
  });
}

export function expectedSessions(fleet: FleetScript, device: string, projectId: string, startS: number) {
  return fleet.sessions
    .filter((s) => s.field === device || s.console === device)
    .sort((a, b) => b.start - a.start)
    .map((s) => ({
      SessionId: `${projectId}-${s.suffix}`,
      FieldDeviceId: s.field,
      RemoteDeviceId: s.console,
      StartTime: startS + s.start,
      EndTime: startS + s.end,
      bad: s.bad,
    }));
}

/** Who is recorded in mode 3: the mix ("0") and everyone who went on the mic. */
export function expectedRecorded(script: ClassScript): string[] {
  return script.members.filter((m) => count(m, "lcic.mic.on") > 0).map((m) => m.name);
}
