// Domain unit tests of the statistics: hand-built streams, and property tests that shuffled
// and repeated deliveries of a stream give exactly the same statistics.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { computeRoomStatistics, State, type Roster } from "../../src/products/lcic/statistics/statistics.ts";
import { COUNTED_KINDS, Kind, ORDERED_KINDS, type StreamEvent, type Tally } from "../../src/products/lcic/events/stream.ts";

const T0 = 1_800_000_000_000; // ms
const s = (sec: number) => T0 + sec * 1000;
let n = 0;
const ev = (kind: StreamEvent["kind"], sec: number, userId = "", extra: Partial<StreamEvent> = {}): StreamEvent => ({
  id: `e${++n}`,
  kind,
  ctime: s(sec),
  userId,
  ...extra,
});
const roster = (over: Partial<Roster> = {}): Roster => ({
  expected: [],
  configuredRoles: new Map(),
  names: new Map(),
  groupId: "",
  groupMembers: new Set(),
  ...over,
});
const rec = (stats: ReturnType<typeof computeRoomStatistics>, id: string) => {
  const r = stats.records.find((x) => x.UserId === id);
  assert.ok(r, `no record for ${id}`);
  return r;
};

describe("LCIC statistics (pure)", () => {
  test("PresentTime is the union of online intervals clipped to the real start and end", () => {
    const stats = computeRoomStatistics(
      [
        ev(Kind.MemberJoined, -100, "a"), // before the start: clipped
        ev(Kind.RoomStarted, 0),
        ev(Kind.MemberQuit, 50, "a"),
        ev(Kind.MemberJoined, 100, "a"),
        ev(Kind.MemberJoined, 120, "a"), // second device: no double counting
        ev(Kind.HeartbeatLost, 200, "a"),
        ev(Kind.MemberJoined, 300, "a"),
        ev(Kind.RoomEnded, 1000), // open interval closes at the end
        ev(Kind.MemberJoined, 1100, "late"), // after the end: ignored
      ],
      roster(),
    );
    const a = rec(stats, "a");
    assert.equal(a.PresentTime, 50 + 100 + 700);
    assert.equal(a.FirstJoinTimestamp, Math.floor(s(-100) / 1000));
    assert.equal(a.LastQuitTimestamp, Math.floor(s(1000) / 1000));
    assert.equal(a.CurrentState, State.Offline);
    assert.equal(stats.MemberNumber, 1);
    assert.equal(stats.Total, 1);
    assert.equal(stats.RealStartTime, Math.floor(s(0) / 1000));
    assert.equal(stats.RealEndTime, Math.floor(s(1000) / 1000));
  });

  test("final states: never arrived, offline, kicked, kicked permanently, dropped, unblocked", () => {
    const stats = computeRoomStatistics(
      [
        ev(Kind.RoomStarted, 0),
        ev(Kind.MemberJoined, 1, "left"),
        ev(Kind.MemberQuit, 2, "left"),
        ev(Kind.MemberJoined, 1, "kicked"),
        ev(Kind.MemberQuit, 5, "kicked", { reason: 1 }),
        ev(Kind.MemberKicked, 5, "kicked", { reason: 1 }),
        ev(Kind.MemberJoined, 1, "banned"),
        ev(Kind.MemberKicked, 6, "banned", { reason: 2 }),
        ev(Kind.MemberJoined, 1, "dropped"),
        ev(Kind.HeartbeatLost, 7, "dropped"),
        ev(Kind.MemberJoined, 1, "forgiven"),
        ev(Kind.MemberKicked, 8, "forgiven", { reason: 2 }),
        ev(Kind.MemberUnblocked, 9, "forgiven"),
        ev(Kind.RoomEnded, 10),
      ],
      roster({ expected: ["absent"] }),
    );
    assert.equal(rec(stats, "absent").CurrentState, State.Absent);
    assert.equal(rec(stats, "left").CurrentState, State.Offline);
    assert.equal(rec(stats, "kicked").CurrentState, State.Kicked);
    assert.equal(rec(stats, "banned").CurrentState, State.KickedForever);
    assert.equal(rec(stats, "banned").PresentTime, 5);
    assert.equal(rec(stats, "dropped").CurrentState, State.Dropped);
    assert.equal(rec(stats, "forgiven").CurrentState, State.Offline);
    assert.equal(stats.MemberNumber, 5);
    assert.equal(stats.Total, 6);
    assert.deepEqual(
      stats.records.map((r) => r.UserId),
      ["absent", "banned", "dropped", "forgiven", "kicked", "left"],
    );
  });

  test("counters, flags, last entry, roles, groups and MicCount", () => {
    const stats = computeRoomStatistics(
      [
        ev(Kind.MemberJoined, -5, "t", { role: 1, device: 2 }),
        ev(Kind.RoomStarted, 0),
        ev(Kind.MemberJoined, 1, "s1", { device: 5, ip: "10.0.0.1", location: "Shenzhen" }),
        ev(Kind.MemberQuit, 2, "s1"),
        ev(Kind.MemberJoined, 3, "s1", { device: 4, ip: "10.0.0.2", location: "Beijing" }),
        ev(Kind.CameraOn, 4, "s1"),
        ev(Kind.CameraOff, 5, "s1"),
        ev(Kind.MicOn, 6, "s1"),
        ev(Kind.MicOff, 7, "s1"),
        ev(Kind.MicOn, 8, "s1"),
        ev(Kind.StageUp, 9, "s1"),
        ev(Kind.HandRaised, 10, "s1"),
        ev(Kind.HandRaised, 11, "s1"),
        ev(Kind.QuestionAnswered, 12, "s1"),
        ev(Kind.RewardGiven, 13, "s1"),
        ev(Kind.MemberMuted, 14, "s1"),
        ev(Kind.MemberUnmuted, 15, "s1"),
        ev(Kind.Message, -1, "s1"), // waiting-room chat counts
        ev(Kind.Message, 16, "t"),
        ev(Kind.Message, 17, "admin"), // a server message from an account not in class
        ev(Kind.MemberJoined, 2, "s2"),
        ev(Kind.MicOn, 3, "t"), // the teacher on the mic is not a "mic-on student"
        ev(Kind.RoomEnded, 20),
      ],
      roster({
        expected: ["s1", "s3", "t"],
        configuredRoles: new Map([["t", 1]]),
        names: new Map([["s1", "Student One"]]),
        groupId: "g1",
        groupMembers: new Set(["s1", "s3"]),
      }),
    );
    const s1 = rec(stats, "s1");
    assert.deepEqual(s1, {
      UserId: "s1",
      UserName: "Student One",
      PresentTime: 1 + 17,
      Camera: 1,
      Mic: 1,
      Silence: 1,
      AnswerQuestions: 1,
      HandUps: 2,
      FirstJoinTimestamp: Math.floor(s(1) / 1000),
      LastQuitTimestamp: Math.floor(s(20) / 1000),
      Rewords: 1,
      IPAddress: "10.0.0.2",
      Location: "Beijing",
      Device: 4,
      PerMemberMicCount: 2,
      PerMemberMessageCount: 1,
      Role: 0,
      GroupId: "g1",
      SubGroupId: null,
      Stage: 1,
      CurrentState: State.Offline,
    });
    assert.equal(rec(stats, "t").Role, 1);
    assert.equal(rec(stats, "t").PresentTime, 20);
    assert.equal(rec(stats, "s2").GroupId, "");
    assert.equal(rec(stats, "s3").CurrentState, State.Absent);
    assert.equal(rec(stats, "s3").GroupId, "g1");
    assert.equal(stats.MessageCount, 3);
    assert.equal(stats.MicCount, 1);
    assert.equal(stats.PeakMemberNumber, 3); // t, s1 and s2 at second 3
    assert.equal(stats.MemberNumber, 3);
    assert.equal(stats.Total, 4);
    assert.equal(
      stats.records.some((r) => r.UserId === "admin"),
      false,
    );
  });

  test("a room that never really started gives no class time and no peak", () => {
    const stats = computeRoomStatistics([ev(Kind.MemberJoined, 1, "a"), ev(Kind.RoomEnded, 10)], roster());
    assert.equal(stats.RealStartTime, null);
    assert.equal(rec(stats, "a").PresentTime, 0);
    assert.equal(stats.PeakMemberNumber, 0);
    assert.equal(stats.MemberNumber, 1);
  });

  test("a live view measures up to now and shows online members as 1", () => {
    const stats = computeRoomStatistics([ev(Kind.RoomStarted, 0), ev(Kind.MemberJoined, 10, "a")], roster(), s(70));
    assert.equal(rec(stats, "a").CurrentState, State.Online);
    assert.equal(rec(stats, "a").PresentTime, 60);
    assert.equal(rec(stats, "a").LastQuitTimestamp, 0);
    assert.equal(stats.RealEndTime, null);
  });

  // A random class: users join, act, leave, drop and get kicked at random seconds.
  const users = ["u1", "u2", "u3", "u4", "u5", "u6"];
  const kinds = Object.values(Kind).filter((k) => k !== Kind.RoomStarted && k !== Kind.RoomEnded) as StreamEvent["kind"][];
  const arbEvent = fc.record({
    kind: fc.constantFrom(...kinds, Kind.MemberJoined, Kind.MemberJoined, Kind.MemberQuit),
    sec: fc.integer({ min: -50, max: 650 }),
    user: fc.constantFrom(...users),
    role: fc.option(fc.integer({ min: 0, max: 3 })),
    device: fc.option(fc.integer({ min: 0, max: 7 })),
    reason: fc.constantFrom(0, 1, 2, 4, 5),
  });
  const arbStream = fc
    .tuple(fc.array(arbEvent, { maxLength: 120 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 200, max: 600 }))
    .map(([events, start, end]) => [
      { id: "start", kind: Kind.RoomStarted, ctime: s(start), userId: "" } as StreamEvent,
      { id: "end", kind: Kind.RoomEnded, ctime: s(end), userId: "" } as StreamEvent,
      ...events.map(
        (e, i): StreamEvent => ({
          id: `x${i}`,
          kind: e.kind,
          ctime: s(e.sec),
          userId: e.user,
          role: e.role,
          device: e.device,
          reason: e.reason,
          ip: `10.0.0.${i % 7}`,
        }),
      ),
    ]);
  const fixedRoster = roster({
    expected: ["u1", "u7"],
    configuredRoles: new Map([["u2", 1]]),
    groupId: "g",
    groupMembers: new Set(["u1", "u7"]),
  });

  test("property: shuffled and repeated deliveries give identical statistics", () => {
    fc.assert(
      fc.property(arbStream, fc.array(fc.nat(), { maxLength: 60 }), fc.integer(), (stream, dupIdx, seed) => {
        const expected = computeRoomStatistics(stream, fixedRoster);
        const duplicated = [...stream, ...dupIdx.map((i) => stream[i % stream.length]!)];
        const shuffled = shuffle(duplicated, seed);
        assert.deepEqual(computeRoomStatistics(shuffled, fixedRoster), expected);
      }),
      { numRuns: 300 },
    );
  });

  test("property: counted events passed as tallies give the same statistics as one by one", () => {
    fc.assert(
      fc.property(arbStream, (stream) => {
        const expected = computeRoomStatistics(stream, fixedRoster);
        // What the store does in SQL: ordered kinds as events, counted kinds tallied up to the end.
        const end = stream.find((e) => e.kind === Kind.RoomEnded)!.ctime;
        const counts = new Map<string, Tally>();
        for (const e of stream) {
          if (!COUNTED_KINDS.includes(e.kind) || e.ctime > end) continue;
          const key = `${e.userId}/${e.kind}`;
          const t = counts.get(key) ?? { userId: e.userId, kind: e.kind, count: 0 };
          t.count++;
          counts.set(key, t);
        }
        const ordered = stream.filter((e) => ORDERED_KINDS.includes(e.kind));
        assert.deepEqual(computeRoomStatistics(ordered, fixedRoster, undefined, [...counts.values()]), expected);
      }),
      { numRuns: 300 },
    );
  });

  test("property: invariants of any class", () => {
    fc.assert(
      fc.property(arbStream, (stream) => {
        const st = computeRoomStatistics(stream, fixedRoster);
        const classSeconds = (st.RealEndTime ?? 0) - (st.RealStartTime ?? 0);
        assert.ok(st.PeakMemberNumber <= st.MemberNumber);
        assert.ok(st.MemberNumber <= st.Total);
        assert.equal(st.Total, st.records.length);
        const ids = st.records.map((r) => r.UserId);
        assert.deepEqual(ids, [...new Set(ids)].sort());
        for (const r of st.records) {
          assert.ok(r.PresentTime >= 0 && r.PresentTime <= classSeconds + 1, `PresentTime ${r.PresentTime} > ${classSeconds}`);
          assert.ok([0, 2, 3, 4, 5].includes(r.CurrentState));
          assert.equal(r.CurrentState === 0, r.FirstJoinTimestamp === 0 && !(r.CurrentState === 3 || r.CurrentState === 4));
        }
        assert.ok(st.MicCount <= st.records.length);
      }),
      { numRuns: 300 },
    );
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed | 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
