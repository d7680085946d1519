// The presence blocks of the console's attendance timeline (events/presence.ts) follow the
// statistics' own rule: over random classes (joins, second devices, quits with every
// reason, heartbeat losses, kicks, events before the start and after the end, live rooms),
// each member's blocks, clipped to the class time, add up to DescribeRoomStatistics'
// PresentTime, never overlap, and a member the statistics call online has a block open to now.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { computeRoomStatistics, State } from "../../src/products/lcic/statistics/statistics.ts";
import { Kind, type StreamEvent } from "../../src/products/lcic/events/stream.ts";
import { presenceBlocks } from "../../src/products/lcic/events/presence.ts";

const T0 = 1_800_000_000_000;
const users = ["u1", "u2", "u3", "u4"];
const kinds = [
  Kind.MemberJoined,
  Kind.MemberJoined,
  Kind.MemberQuit,
  Kind.HeartbeatLost,
  Kind.MemberKicked,
  Kind.MemberUnblocked,
  Kind.MicOn,
];
const arbEvent = fc.record({
  kind: fc.constantFrom(...kinds),
  ms: fc.integer({ min: -50_000, max: 650_000 }),
  user: fc.constantFrom(...users),
  reason: fc.constantFrom(0, 1, 2, 4, 5),
});
const arbClass = fc.record({
  events: fc.array(arbEvent, { maxLength: 80 }),
  start: fc.integer({ min: 0, max: 100_000 }),
  end: fc.option(fc.integer({ min: 200_000, max: 600_000 })),
  asOf: fc.integer({ min: 100_000, max: 700_000 }),
});

test("property: blocks clipped to the class time add up to PresentTime, and open ones are the online members", () => {
  fc.assert(
    fc.property(arbClass, (c) => {
      const stream: StreamEvent[] = [
        { id: "start", kind: Kind.RoomStarted, ctime: T0 + c.start, userId: "" },
        ...(c.end === null ? [] : [{ id: "end", kind: Kind.RoomEnded, ctime: T0 + c.end, userId: "" } as StreamEvent]),
        ...c.events.map((e, i): StreamEvent => ({ id: `e${i}`, kind: e.kind, ctime: T0 + e.ms, userId: e.user, reason: e.reason })),
      ];
      const asOf = T0 + Math.max(c.asOf, c.start);
      const stats = computeRoomStatistics(
        stream,
        { expected: [], configuredRoles: new Map(), names: new Map(), groupId: "", groupMembers: new Set() },
        asOf,
      );
      const blocks = presenceBlocks(stream, asOf);
      const horizon = c.end === null ? asOf : T0 + c.end;
      for (const r of stats.records) {
        const mine = blocks.filter((b) => b.userId === r.UserId);
        const ms = mine.reduce((n, b) => n + Math.max(0, Math.min(b.to, horizon) - Math.max(b.from, T0 + c.start)), 0);
        assert.equal(Math.floor(ms / 1000), r.PresentTime, r.UserId);
        for (let i = 1; i < mine.length; i++) assert.ok(mine[i]!.from >= mine[i - 1]!.to, "no overlap");
        for (const b of mine) assert.ok(b.from <= b.to && b.to <= horizon);
        const open = mine.filter((b) => b.end === "online");
        assert.equal(open.length, c.end === null && r.CurrentState === State.Online ? 1 : 0, r.UserId);
      }
      // Nobody has a block who never joined.
      for (const b of blocks) assert.ok(stats.records.some((r) => r.UserId === b.userId && r.FirstJoinTimestamp > 0));
    }),
  );
});

test("a kick reported as a quit (reason 1) ends the block as a kick, a lost heartbeat as a drop", () => {
  const ev = (id: string, kind: StreamEvent["kind"], s: number, userId: string, reason?: number): StreamEvent => ({
    id,
    kind,
    ctime: T0 + s * 1000,
    userId,
    reason,
  });
  const blocks = presenceBlocks(
    [
      ev("s", Kind.RoomStarted, 0, ""),
      ev("a", Kind.MemberJoined, 1, "a"),
      ev("b", Kind.MemberJoined, 1, "b"),
      ev("c", Kind.MemberJoined, 1, "c"),
      ev("a2", Kind.MemberQuit, 10, "a", 1),
      ev("b2", Kind.HeartbeatLost, 20, "b"),
      ev("e", Kind.RoomEnded, 30, ""),
    ],
    T0 + 99_000,
  );
  assert.deepEqual(
    blocks.map((b) => [b.userId, (b.to - b.from) / 1000, b.end]),
    [
      ["a", 9, "kicked"],
      ["b", 19, "dropped"],
      ["c", 29, "room-ended"],
    ],
  );
});
