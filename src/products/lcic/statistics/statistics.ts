// DescribeRoomStatistics computed from the room's event stream alone: a pure function of the
// set of events (deduplicated by id, put in one canonical order), so late, shuffled and
// repeated deliveries give the same answer. No SQL or HTTP here.
//
// Rules where Tencent documents none (chosen here, and tested):
// - A member is online from a join until a quit, a heartbeat loss, a kick or the room's end;
//   a join while already online (a second device) changes nothing but the last-entry fields.
// - PresentTime: the seconds (floored) of the member's online time inside [RealStartTime,
//   RealEndTime]; a room that never really started has no class time, so 0 for everyone.
// - Events after the end (ctime > RealEndTime) do not count; events before the start do
//   (chat and hands in the waiting room are part of the class record).
// - Camera / Mic / Stage / Silence are 1 when the member turned the camera on, went on the
//   mic, went on stage, or was muted by the teacher at least once during the class.
// - PerMemberMicCount counts the member's MicOn events (going on the mic); MicCount, as the
//   seed says "the total number of mic-on students", is the number of students (Role 0)
//   who went on the mic at least once.
// - MemberNumber: members who joined at least once; PeakMemberNumber: most members online
//   at once within the class time; Total: records = those who joined plus expected
//   attendees (group members, teacher, assistants) who never came.
// - CurrentState at the end: 0 never arrived, 2 offline (left, or still online when the
//   room ended), 3 kicked, 4 kicked permanently, 5 dropped (heartbeat lost, never back);
//   1 online only in a live view (DescribeCurrentMemberList). An unblocked kicked member is
//   offline (2).
// - Role / Device / IPAddress / Location come from the member's last join (Role falls back
//   to the room's configuration: TeacherId 1, Assistants 2, others 0).
// - Records are ordered by UserId (code-unit order): the order never depends on activity, so
//   pages never skip or repeat a member, even across a recomputation.
import { canonicalStream, Kind, QuitReason, type StreamEvent, type Tally } from "../events/stream.ts";

export interface Roster {
  /** Expected attendees: group members, the teacher and the assistants. */
  expected: readonly string[];
  /** Roles given by the room's configuration (TeacherId 1, Assistants 2). */
  configuredRoles: ReadonlyMap<string, number>;
  names: ReadonlyMap<string, string>;
  /** The room's group (GroupId) and its members. */
  groupId: string;
  groupMembers: ReadonlySet<string>;
  /** When the room's group is a combined group (联合群组): the sub groups each member is in. */
  subGroups?: ReadonlyMap<string, readonly string[]>;
}

export interface MemberRecord {
  UserId: string;
  UserName: string;
  PresentTime: number;
  Camera: number;
  Mic: number;
  Silence: number;
  AnswerQuestions: number;
  HandUps: number;
  FirstJoinTimestamp: number;
  LastQuitTimestamp: number;
  Rewords: number;
  IPAddress: string;
  Location: string;
  Device: number;
  PerMemberMicCount: number;
  PerMemberMessageCount: number;
  Role: number;
  GroupId: string;
  SubGroupId: string[] | null;
  Stage: number;
  CurrentState: number;
}

export interface RoomStatistics {
  PeakMemberNumber: number;
  MemberNumber: number;
  Total: number;
  RealStartTime: number | null;
  RealEndTime: number | null;
  MessageCount: number;
  MicCount: number;
  records: MemberRecord[];
}

export const State = { Absent: 0, Online: 1, Offline: 2, Kicked: 3, KickedForever: 4, Dropped: 5 } as const;

interface Member {
  joined: boolean;
  online: boolean;
  since: number;
  presentMs: number;
  state: number;
  firstJoin: number;
  lastQuit: number;
  camera: boolean;
  mic: boolean;
  silence: boolean;
  stage: boolean;
  handUps: number;
  answers: number;
  rewards: number;
  micCount: number;
  messages: number;
  role: number | null;
  device: number;
  ip: string;
  location: string;
}

const newMember = (): Member => ({
  joined: false,
  online: false,
  since: 0,
  presentMs: 0,
  state: State.Absent,
  firstJoin: 0,
  lastQuit: 0,
  camera: false,
  mic: false,
  silence: false,
  stage: false,
  handUps: 0,
  answers: 0,
  rewards: 0,
  micCount: 0,
  messages: 0,
  role: null,
  device: 0,
  ip: "",
  location: "",
});

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * Computes the statistics of a room. `asOf` is the time of a live view (a room that has not
 * ended yet): open intervals are measured up to it and online members show state 1.
 *
 * Events of the counted kinds (camera on, hands, messages ...) only add up, whatever their
 * order: a large room's store may pass them as `tallies` per (user, kind), counted over the
 * events up to the horizon (the end, or asOf), instead of one by one in `events`. Both
 * forms give the same statistics (tested).
 */
export function computeRoomStatistics(
  events: readonly StreamEvent[],
  roster: Roster,
  asOf?: number,
  tallies: readonly Tally[] = [],
): RoomStatistics {
  const stream = canonicalStream(events);
  let start: number | null = null;
  let end: number | null = null;
  for (const e of stream) {
    if (e.kind === Kind.RoomStarted && start === null) start = e.ctime;
    if (e.kind === Kind.RoomEnded && end === null) end = e.ctime;
  }
  const live = end === null;
  const horizon = end ?? asOf ?? Number.MAX_SAFE_INTEGER;

  const members = new Map<string, Member>();
  const member = (id: string): Member => {
    let m = members.get(id);
    if (!m) members.set(id, (m = newMember()));
    return m;
  };
  let online = 0;
  let peak = 0;
  let messageCount = 0;
  const inClass = (t: number): boolean => start !== null && t >= start && t <= horizon;
  const clipped = (from: number, to: number): number => (start === null ? 0 : Math.max(0, Math.min(to, horizon) - Math.max(from, start)));
  const leave = (m: Member, t: number, state: number): void => {
    if (m.online) {
      m.presentMs += clipped(m.since, t);
      m.online = false;
      m.lastQuit = t;
      online--;
    }
    m.state = state;
  };

  for (const e of stream) {
    if (e.ctime > horizon) break;
    if (e.kind === Kind.RoomStarted) {
      if (e.ctime === start) peak = Math.max(peak, online);
      continue;
    }
    if (e.kind === Kind.RoomEnded) continue;
    if (e.userId === "") {
      if (e.kind === Kind.Message) messageCount++;
      continue;
    }
    const m = member(e.userId);
    switch (e.kind) {
      case Kind.MemberJoined:
        if (!m.joined) m.firstJoin = e.ctime;
        m.joined = true;
        if (e.role !== null && e.role !== undefined) m.role = e.role;
        m.device = e.device ?? 0;
        m.ip = e.ip ?? "";
        m.location = e.location ?? "";
        if (!m.online) {
          m.online = true;
          m.since = e.ctime;
          online++;
          if (inClass(e.ctime)) peak = Math.max(peak, online);
        }
        m.state = State.Online;
        break;
      case Kind.MemberQuit:
        leave(m, e.ctime, quitState(e.reason ?? QuitReason.Left, m.state));
        break;
      case Kind.HeartbeatLost:
        leave(m, e.ctime, m.online ? State.Dropped : m.state);
        break;
      case Kind.MemberKicked:
        leave(m, e.ctime, e.reason === 2 ? State.KickedForever : State.Kicked);
        break;
      case Kind.MemberUnblocked:
        if (m.state === State.Kicked || m.state === State.KickedForever) m.state = m.joined ? State.Offline : State.Absent;
        break;
      default:
        messageCount += count(m, e.kind, 1);
    }
  }
  for (const t of tallies) {
    if (t.userId === "") {
      if (t.kind === Kind.Message) messageCount += t.count;
      continue;
    }
    messageCount += count(member(t.userId), t.kind, t.count);
  }

  // Close what is still open: at the end, online members are quit (reason 5: offline); in a
  // live view they stay online, measured up to asOf.
  for (const m of members.values()) {
    if (!m.online) continue;
    m.presentMs += clipped(m.since, horizon);
    if (!live) {
      m.lastQuit = horizon;
      m.state = State.Offline;
    }
  }

  const ids = new Set<string>();
  for (const [id, m] of members) if (m.joined) ids.add(id);
  const memberNumber = ids.size;
  for (const id of roster.expected) ids.add(id);
  const records = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((id) => record(id, members.get(id), roster));
  return {
    PeakMemberNumber: peak,
    MemberNumber: memberNumber,
    Total: records.length,
    RealStartTime: start === null ? null : seconds(start),
    RealEndTime: end === null ? null : seconds(end),
    MessageCount: messageCount,
    MicCount: records.filter((r) => r.Role === 0 && r.PerMemberMicCount > 0).length,
    records,
  };
}

/** Adds n events of a counted kind to a member; returns how many messages that was. */
function count(m: Member, kind: Kind, n: number): number {
  switch (kind) {
    case Kind.CameraOn:
      m.camera = true;
      break;
    case Kind.MicOn:
      m.mic = true;
      m.micCount += n;
      break;
    case Kind.StageUp:
      m.stage = true;
      break;
    case Kind.HandRaised:
      m.handUps += n;
      break;
    case Kind.QuestionAnswered:
      m.answers += n;
      break;
    case Kind.RewardGiven:
      m.rewards += n;
      break;
    case Kind.MemberMuted:
      m.silence = true;
      break;
    case Kind.Message:
      m.messages += n;
      return n;
    default:
      break; // CameraOff, MicOff, ScreenOn/Off, StageDown, MemberUnmuted: no counter.
  }
  return 0;
}

function quitState(reason: number, current: number): number {
  switch (reason) {
    case QuitReason.Kicked:
      return State.Kicked;
    case QuitReason.KickedForever:
      return State.KickedForever;
    case QuitReason.HeartbeatLost:
      return State.Dropped;
    default:
      // A plain quit after a kick keeps the kick (the client reports the kicked member leaving).
      return current === State.Kicked || current === State.KickedForever ? current : State.Offline;
  }
}

function subGroupsOf(userId: string, roster: Roster): string[] | null {
  const subs = roster.groupMembers.has(userId) ? roster.subGroups?.get(userId) : undefined;
  return subs && subs.length > 0 ? [...subs] : null;
}

function record(userId: string, m: Member | undefined, roster: Roster): MemberRecord {
  const arrived = m?.joined === true;
  return {
    UserId: userId,
    UserName: roster.names.get(userId) ?? "",
    PresentTime: m ? seconds(m.presentMs) : 0,
    Camera: m?.camera ? 1 : 0,
    Mic: m?.mic ? 1 : 0,
    Silence: m?.silence ? 1 : 0,
    AnswerQuestions: m?.answers ?? 0,
    HandUps: m?.handUps ?? 0,
    FirstJoinTimestamp: arrived ? seconds(m.firstJoin) : 0,
    LastQuitTimestamp: m && m.lastQuit > 0 ? seconds(m.lastQuit) : 0,
    Rewords: m?.rewards ?? 0,
    IPAddress: m?.ip ?? "",
    Location: m?.location ?? "",
    Device: m?.device ?? 0,
    PerMemberMicCount: m?.micCount ?? 0,
    PerMemberMessageCount: m?.messages ?? 0,
    Role: m?.role ?? roster.configuredRoles.get(userId) ?? 0,
    GroupId: roster.groupMembers.has(userId) ? roster.groupId : "",
    // A member of a combined group: the sub groups they are in; otherwise null, as the model allows.
    SubGroupId: subGroupsOf(userId, roster),
    Stage: m?.stage ? 1 : 0,
    CurrentState: arrived ? m.state : m && (m.state === State.Kicked || m.state === State.KickedForever) ? m.state : State.Absent,
  };
}
