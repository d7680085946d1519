// Unit and property tests of the GME recording domain (pure functions, no server).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  isSubscribed,
  MIX_USER_ID,
  recordFileName,
  statusMove,
  streamsToBegin,
  couldBeOurTaskId,
  TASK_ID_MIN,
} from "../../src/products/gme/recording.ts";
import { integerIdOf, isIntegerId, subscribeFilterOf, taskIdOf } from "../../src/products/gme/params.ts";
import { foldIntervals } from "../../src/products/gme/presence-history.ts";
import { ApiError } from "../../src/errors/api-error.ts";

const userId: fc.Arbitrary<string> = fc.constantFrom("a", "b", "c", "d", "e", "f");
const filter = fc.oneof(
  fc.constant({ subscribe: null, unsubscribe: null }),
  fc.uniqueArray(userId, { minLength: 1 }).map((s) => ({ subscribe: s, unsubscribe: null })),
  fc.uniqueArray(userId, { minLength: 1 }).map((u) => ({ subscribe: null, unsubscribe: u })),
);

describe("GME recording domain", () => {
  test("the allow-list records only its users, the deny-list everyone else, no list everyone", () => {
    assert.equal(isSubscribed({ subscribe: ["a"], unsubscribe: null }, "a"), true);
    assert.equal(isSubscribed({ subscribe: ["a"], unsubscribe: null }, "b"), false);
    assert.equal(isSubscribed({ subscribe: null, unsubscribe: ["a"] }, "a"), false);
    assert.equal(isSubscribed({ subscribe: null, unsubscribe: ["a"] }, "b"), true);
    assert.equal(isSubscribed({ subscribe: null, unsubscribe: null }, "z"), true);
  });

  test("streamsToBegin: the mix in modes 2/3, allowed speakers in modes 1/3, never a stream already begun", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3),
        filter,
        fc.uniqueArray(userId),
        fc.uniqueArray(fc.oneof(userId, fc.constant("0"))),
        (mode, f, speakers, begun) => {
          const out = streamsToBegin(mode, f, speakers, new Set(begun));
          for (const u of out) assert.ok(!begun.includes(u));
          assert.equal(out.includes(MIX_USER_ID), mode !== 1 && !begun.includes(MIX_USER_ID));
          const singles = out.filter((u) => u !== MIX_USER_ID);
          if (mode === 2) assert.deepEqual(singles, []);
          else
            assert.deepEqual(
              singles,
              speakers.filter((u) => !begun.includes(u) && isSubscribed(f, u)),
            );
        },
      ),
    );
  });

  test("statuses go forward only, and leave 2 only once the recording stopped", () => {
    fc.assert(
      fc.property(fc.constantFrom(2, 10, 11, 12, 13, 14), fc.constantFrom(10, 11, 12, 13, 14), fc.boolean(), (current, next, recording) => {
        const move = statusMove(current, next, recording);
        if (next < current) assert.equal(move, "backwards");
        else if (recording && next !== current) assert.equal(move, "still-recording");
        else assert.equal(move, "ok");
      }),
    );
  });

  test("file names follow the cloud's /<BizId>_<RoomId>_<TaskId>_<UserId>", () => {
    assert.equal(recordFileName("3400352518", "2314", 4479473462011766, "9081"), "/3400352518_2314_4479473462011766_9081");
    assert.equal(recordFileName("1400000001", "room", 1000000000000000, "0"), "/1400000001_room_1000000000000000_0");
  });

  test("TaskIds: any input is an id of ours, InvalidTaskId, or a type error — never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double(), fc.bigInt().map(Number), fc.string(), fc.constantFrom("1000000000000000", " 42 ", "-1")),
        (v) => {
          try {
            const id = taskIdOf(v);
            assert.ok(couldBeOurTaskId(id) && id >= TASK_ID_MIN && Number.isSafeInteger(id));
          } catch (err) {
            assert.ok(err instanceof ApiError);
            assert.ok(["InvalidParameterValue.InvalidTaskId", "InvalidParameter"].includes(err.code), err.code);
          }
        },
      ),
    );
  });

  test("SubscribeRecordUserIds: at most 20 ids of one kind, or the list's own error code", () => {
    const ids = fc.array(fc.oneof(userId, fc.string({ maxLength: 130 })), { maxLength: 25 });
    fc.assert(
      fc.property(fc.record({ SubscribeUserIds: ids, UnSubscribeUserIds: ids }, { requiredKeys: [] }), (v) => {
        try {
          const f = subscribeFilterOf(v);
          assert.ok(!(f.subscribe && f.unsubscribe));
          assert.ok((f.subscribe ?? f.unsubscribe ?? []).length <= 20);
        } catch (err) {
          assert.ok(err instanceof ApiError);
          assert.match(
            err.code,
            /^InvalidParameterValue\.(InvalidSubscribeRecordUserIds|InvalidSubscribeUserIds|InvalidUNSubscribeUserIds)$/,
          );
        }
      }),
    );
  });

  test("stays: ordered, disjoint, within the marks; each opened by an in while out and closed by the next out; an open one ends now", () => {
    const mark = fc.record({ at: fc.integer({ min: 0, max: 1000 }), inRoom: fc.boolean() });
    fc.assert(
      fc.property(fc.array(mark, { maxLength: 20 }), fc.integer({ min: 0, max: 2000 }), (raw, now) => {
        const marks = [...raw].sort((a, b) => a.at - b.at);
        const stays = foldIntervals(marks, now);
        for (const [i, s] of stays.entries()) {
          assert.ok(s.start <= s.end);
          if (i > 0) assert.ok(stays[i - 1]!.end <= s.start);
        }
        const ins = marks.filter((m) => m.inRoom);
        assert.equal(stays.length === 0, ins.length === 0);
        if (stays.length > 0) assert.equal(stays[0]!.start, ins[0]!.at);
        const last = marks.at(-1);
        if (last?.inRoom) assert.equal(stays.at(-1)!.end, Math.max(now, stays.at(-1)!.start));
      }),
    );
    assert.deepEqual(
      foldIntervals(
        [
          { at: 0, inRoom: true },
          { at: 5, inRoom: true },
          { at: 10, inRoom: false },
          { at: 11, inRoom: false },
          { at: 20, inRoom: true },
        ],
        30,
      ),
      [
        { start: 0, end: 10 },
        { start: 20, end: 30 },
      ],
    );
  });

  test("integer ids: the decimal form of a safe non-negative integer, else the gateway's type error", () => {
    assert.equal(integerIdOf(10086, "RoomId"), "10086");
    assert.equal(integerIdOf("42", "RoomId"), "42");
    for (const bad of [-1, 1.5, 2 ** 53, "x", null, true]) assert.throws(() => integerIdOf(bad, "RoomId"), { code: "InvalidParameter" });
    assert.deepEqual(["7", "0", "007", "alice", "12a", "9007199254740993"].map(isIntegerId), [true, true, false, false, false, false]);
  });
});
