// The behaviour model of a class: who comes when, who drops, who is kicked, who talks, as a
// script of per-member stories (times in seconds from the class's start). The script is
// data: the LCIC client events are generated from it (classEvents), the demo plays it,
// `roomledger simulate` plays many, and the demo's test computes the expected statistics
// from the same stories on its own.
import { between, seeded, type Random } from "./random.ts";

export type Leave = "left" | "kicked" | "dropped";

export interface Visit {
  join: number;
  /** null: still in the room when the class ends. */
  leave: number | null;
  reason: Leave | null;
}

export type ActType =
  | "lcic.camera.on"
  | "lcic.camera.off"
  | "lcic.mic.on"
  | "lcic.mic.off"
  | "lcic.hand.raised"
  | "lcic.question.answered"
  | "lcic.reward.given"
  | "lcic.message.sent";

export interface Act {
  at: number;
  type: ActType;
  text?: string;
}

export interface MemberStory {
  /** The script's name for the member (the demo registers it as the user's Name). */
  name: string;
  role: 0 | 1 | 2;
  /** LCIC device: 1 windows, 2 mac, 3 android, 4 ios, 5 web, 7 mini program. */
  device: number;
  ip: string;
  location: string;
  visits: Visit[];
  acts: Act[];
}

export interface ClassScript {
  durationS: number;
  members: MemberStory[];
}

export interface ClassOptions {
  students: number;
  durationS: number;
  seed: number;
}

const CITIES = ["Beijing", "Shanghai", "Shenzhen", "Wuhan", "Chengdu", "Xi'an"];
const DEVICES = [1, 2, 3, 4, 5, 7];
const CHAT = ["Hello!", "Can you repeat that?", "x = 2?", "I see", "Thanks", "Is this on the test?", "👍", "Page 12?"];

/** Whether a member is in the room at second t (a visit is [join, leave)). */
export const onlineAt = (m: MemberStory, t: number): boolean => m.visits.some((v) => v.join <= t && (v.leave === null || t < v.leave));

/** A second at which the member is in the class (inside [0, durationS)), or null if none. */
function someOnlineSecond(rnd: Random, m: MemberStory, durationS: number, from = 0, to = durationS - 1): number | null {
  for (let tries = 0; tries < 50; tries++) {
    const t = between(rnd, Math.max(0, from), Math.min(durationS - 1, to));
    if (onlineAt(m, t)) return t;
  }
  return null;
}

/**
 * A class: a teacher, an assistant and `students` students. Most come on time (some in the
 * waiting room before the start), a few late; one drops and comes back, one drops for good,
 * one leaves early, one is kicked; hands go up, students answer on the mic, rewards are
 * given, the chat flows. Which student does what is fixed by position (so small classes
 * keep the interesting cases) and the details come from the seed.
 */
export function classScript(o: ClassOptions): ClassScript {
  const rnd = seeded(o.seed);
  const d = o.durationS;
  const frac = (x: number) => Math.floor(d * x);
  const teacher: MemberStory = {
    name: "Teacher",
    role: 1,
    device: 2,
    ip: "10.0.0.1",
    location: "Shenzhen",
    visits: [{ join: 0, leave: null, reason: null }],
    acts: [
      { at: 0, type: "lcic.camera.on" },
      { at: 0, type: "lcic.mic.on" },
      { at: 2, type: "lcic.message.sent", text: "Welcome, class!" },
    ],
  };
  const assistant: MemberStory = {
    name: "Assistant",
    role: 2,
    device: 5,
    ip: "10.0.0.2",
    location: "Shenzhen",
    visits: [{ join: 5, leave: null, reason: null }],
    acts: [],
  };
  const students: MemberStory[] = [];
  for (let i = 0; i < o.students; i++) {
    const late = i % 6 === 5; // one in six comes late
    const join = late ? between(rnd, frac(0.05), frac(0.3)) : between(rnd, -30, 20);
    const s: MemberStory = {
      name: `Student ${String(i + 1).padStart(2, "0")}`,
      role: 0,
      device: DEVICES[i % DEVICES.length]!,
      ip: `10.0.${1 + Math.floor(i / 200)}.${(i % 200) + 10}`,
      location: CITIES[i % CITIES.length]!,
      visits: [{ join, leave: null, reason: null }],
      acts: [],
    };
    // The fixed cases: a dropped connection that comes back, one that does not, an early
    // leaver and a kick.
    const first = s.visits[0]!;
    if (i === 1) {
      first.leave = frac(0.4);
      first.reason = "dropped";
      s.visits.push({ join: frac(0.4) + 90, leave: null, reason: null });
    } else if (i === 2) {
      Object.assign(first, { leave: frac(0.75), reason: "dropped" });
    } else if (i === 3) {
      Object.assign(first, { leave: frac(0.9), reason: "left" });
    } else if (i === 4) {
      Object.assign(first, { leave: frac(0.55), reason: "kicked" });
    }
    students.push(s);
  }
  // Behaviour: cameras, hands, answers on the mic, rewards, chat.
  for (const [i, s] of students.entries()) {
    if (i % 3 === 0) {
      const on = someOnlineSecond(rnd, s, d, 0, frac(0.3));
      if (on !== null) {
        s.acts.push({ at: on, type: "lcic.camera.on" });
        const off = someOnlineSecond(rnd, s, d, on + 60, d - 1);
        if (off !== null && off > on) s.acts.push({ at: off, type: "lcic.camera.off" });
      }
    }
    const hands = i % 4 === 0 ? between(rnd, 1, 3) : i % 4 === 1 ? 1 : 0;
    for (let h = 0; h < hands; h++) {
      const at = someOnlineSecond(rnd, s, d, 60, d - 300);
      if (at === null) continue;
      s.acts.push({ at, type: "lcic.hand.raised" });
      // Called on: up on the mic, answers, down again; every other answer is rewarded.
      if (h === 0 && i % 8 === 0 && onlineAt(s, at + 60)) {
        s.acts.push(
          { at: at + 10, type: "lcic.mic.on" },
          { at: at + 40, type: "lcic.question.answered" },
          { at: at + 60, type: "lcic.mic.off" },
        );
        if (i % 16 === 0) s.acts.push({ at: at + 45, type: "lcic.reward.given" });
      }
    }
    const messages = between(rnd, 0, 3);
    for (let m = 0; m < messages; m++) {
      const at = someOnlineSecond(rnd, s, d);
      if (at !== null) s.acts.push({ at, type: "lcic.message.sent", text: CHAT[between(rnd, 0, CHAT.length - 1)]! });
    }
  }
  for (let m = 1; m <= 5; m++) teacher.acts.push({ at: frac(m / 6), type: "lcic.message.sent", text: `Exercise ${m}` });
  const members = [teacher, assistant, ...students];
  for (const m of members) m.acts.sort((a, b) => a.at - b.at);
  return { durationS: d, members };
}

export interface ClassEvent {
  id: string;
  type: string;
  /** Unix ms. */
  ctime: number;
  data: Record<string, unknown>;
}

/**
 * The LCIC client events of a script, as the client app reports them: `userIdOf` maps the
 * script's names to the users registered for the class; `startS` is the class's start (Unix
 * seconds). Sorted by time.
 */
export function classEvents(
  script: ClassScript,
  roomId: number,
  startS: number,
  userIdOf: (name: string) => string,
  idPrefix: string,
): ClassEvent[] {
  const out: ClassEvent[] = [];
  let n = 0;
  const ev = (type: string, at: number, m: MemberStory, extra: Record<string, unknown> = {}) =>
    out.push({ id: `${idPrefix}-${++n}`, type, ctime: (startS + at) * 1000, data: { RoomId: roomId, UserId: userIdOf(m.name), ...extra } });
  for (const m of script.members) {
    for (const v of m.visits) {
      ev("lcic.member.joined", v.join, m, { Role: m.role, Device: m.device, IPAddress: m.ip, Location: m.location });
      if (v.leave === null) continue;
      if (v.reason === "dropped") ev("lcic.member.heartbeat_lost", v.leave, m);
      else ev("lcic.member.quit", v.leave, m, { Reason: v.reason === "kicked" ? 1 : 0 });
    }
    for (const a of m.acts) ev(a.type, a.at, m, a.text === undefined ? {} : { Text: a.text });
  }
  return out.sort((a, b) => a.ctime - b.ctime);
}
