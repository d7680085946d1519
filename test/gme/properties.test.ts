// Property tests on the GME wire boundaries: arbitrary action parameters get a documented
// error (never InternalError) — for the voice-room actions each action's own list, and a
// refused DeleteRoomMember / ModifyUserMicStatus changes nothing —, arbitrary voice-room batches are stored whole or not at all
// (never a 500), presence does not depend on the order events arrive in, and arbitrary
// recorder reports get 200/400/409 (never a 500).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { gmeClient, ingest, recorderClient, recordingApp, taskView, type GmeClient, type MemberEvent } from "./gme-support.ts";

const anyValue = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(1, 2, 3, 0, 1000000000000000, 2 ** 53, -1),
  fc.string({ maxLength: 140 }),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 25 }),
  fc.dictionary(fc.constantFrom("SubscribeUserIds", "UnSubscribeUserIds", "X"), fc.array(fc.string({ maxLength: 5 }), { maxLength: 22 })),
);

const DOCUMENTED = new Set([
  "InvalidParameter",
  "InvalidParameterValue",
  "MissingParameter",
  "UnknownParameter",
  "InvalidParameterValue.InvalidBizId",
  "InvalidParameterValue.InvalidTaskId",
  "InvalidParameterValue.InvalidRoomId",
  "InvalidParameterValue.InvalidRecordMode",
  "InvalidParameterValue.InvalidSubscribeRecordUserIds",
  "InvalidParameterValue.InvalidSubscribeUserIds",
  "InvalidParameterValue.InvalidUNSubscribeUserIds",
  "ResourceInUse.TaskInUse",
  "ResourceNotFound.TaskNotFound",
  "ResourceNotFound.RoomNotFound",
  "UnsupportedOperation.ServiceNotOpened",
]);

// The gateway's codes (any action) and each voice-room action's own (its SDK error list).
const GATEWAY = ["InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter"];
const VOICE_ROOM_CODES: Record<string, string[]> = {
  DescribeRoomInfo: [],
  DescribeUserInAndOutTime: ["ResourceNotFound.BizidIsNotFound"],
  DeleteRoomMember: [
    "ResourceNotFound",
    "InvalidParameterValue.InvalidDeleteType",
    "InvalidParameterValue.InvalidStrUin",
    "InvalidParameterValue.InvalidUinOrStrUin",
    "UnsupportedOperation.LimitDeleteExceeded",
  ],
  ModifyUserMicStatus: ["ResourceNotFound"],
  ModifyAppStatus: ["ResourceNotFound.BizidIsNotFound"],
};
// Values biased towards the app's room "p" and its users, so that many runs reach the
// changes themselves (and their refusals) rather than the first parameter check.
const pick = <T, U = T>(likely: fc.Arbitrary<T>, other: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof({ arbitrary: likely, weight: 3 }, { arbitrary: other, weight: 1 });
const roomIdValue = pick(fc.constant("p"), fc.oneof(fc.constantFrom("q", "7", "", "a/b"), fc.string({ maxLength: 130 })));
const userIdValue = pick(
  fc.constantFrom("u1", "u2", "7"),
  fc.oneof(fc.constantFrom("0", "ghost", "a/b", ""), fc.string({ maxLength: 130 })),
);
const integerValue = fc.oneof(fc.constantFrom(0, 1, 2, 3, 7, -1, 1.5, 2 ** 53), fc.integer(), fc.string({ maxLength: 5 }));
const smallChoice = pick(fc.constantFrom(1, 2), integerValue);
const userList = fc.oneof(
  { arbitrary: fc.array(userIdValue, { maxLength: 4 }), weight: 8 },
  { arbitrary: fc.constant(Array.from({ length: 101 }, (_, i) => `x${i}`) as unknown[]), weight: 1 },
);
const VOICE_ROOM_FIELDS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  DescribeRoomInfo: {
    RoomIds: fc.array(pick(fc.constant(7), integerValue), { maxLength: 12 }),
    StrRoomIds: fc.array(roomIdValue, { maxLength: 12 }),
  },
  DescribeUserInAndOutTime: {
    RoomId: pick(fc.constant(7), integerValue),
    UserId: pick(fc.constant(7), integerValue),
    UserIdStr: userIdValue,
    RoomIdStr: roomIdValue,
  },
  DeleteRoomMember: {
    RoomId: pick(fc.constant("p"), fc.oneof(roomIdValue, integerValue)),
    DeleteType: smallChoice,
    // Mostly users of the room, someone absent, and now and then one bad id among good ones.
    Uids: pick(fc.array(fc.constantFrom("7", "12", "7", "u1"), { maxLength: 3 }), fc.array(userIdValue, { maxLength: 4 })),
    StrUids: pick(fc.array(fc.constantFrom("u1", "u2", "ghost", "u1", "a/b"), { maxLength: 3 }), userList),
  },
  ModifyUserMicStatus: {
    RoomId: pick(fc.constant("p"), fc.oneof(roomIdValue, integerValue)),
    Users: pick(
      fc.array(fc.record({ EnableMic: fc.constantFrom(1, 2), StrUid: fc.constantFrom("u1", "u2", "7") }), { minLength: 1, maxLength: 3 }),
      fc.array(
        fc.record(
          { EnableMic: smallChoice, Uid: pick(fc.constant(7), integerValue), StrUid: fc.oneof(userIdValue, fc.constant(null)) },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      ),
    ),
  },
  ModifyAppStatus: { Status: pick(fc.constantFrom("open", "close"), fc.string({ maxLength: 6 })) },
};
/** A request of an action: each of its fields present 4 times in 5, its app given or any value, now and then an unknown field. */
const voiceRoomRequest = (action: string) =>
  fc.record({
    fields: fc
      .record(
        Object.fromEntries(Object.entries(VOICE_ROOM_FIELDS[action]!).map(([k, v]) => [k, fc.option(v, { freq: 5, nil: undefined })])),
      )
      .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))),
    app: pick(fc.constant("own" as const), integerValue),
    // fc.option's freq is the odds of its nil: an unknown field 1 run in 10.
    extra: fc.option(fc.constant({ Surprise: 1 }), { freq: 10, nil: null }).map((v) => (v === null ? { Surprise: 1 } : null)),
  });

const EVENT_TYPES: MemberEvent[] = ["gme.user.entered", "gme.user.left", "gme.audio.started", "gme.audio.stopped"];

for (const backend of backends()) {
  describe(`GME boundaries, property-based (${backend})`, () => {
    let server: TestServer;
    let gme: GmeClient;
    let app: Awaited<ReturnType<typeof recordingApp>>;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"], env: { ROOMLEDGER_AGENT_LEASE_MS: "60000" } });
      gme = gmeClient(server);
      app = await recordingApp(server);
      await app.room.enter("p", "u");
    });
    after(() => server.stop());

    // Each property gets its own app or room: the fuzzer below may start and stop tasks in
    // any room of the app it is given, so it has an app of its own.
    test("any parameters of the recording actions get a documented error or an answer", async () => {
      const app = await recordingApp(server);
      await app.room.enter("p", "u");
      const actions = ["StartRecord", "StopRecord", "ModifyRecordInfo", "DescribeTaskInfo", "DescribeRecordInfo"] as const;
      const fields = ["BizId", "TaskId", "RoomId", "RecordMode", "SubscribeRecordUserIds"];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...actions),
          fc.dictionary(fc.constantFrom(...fields), anyValue, { maxKeys: 5 }),
          fc.boolean(),
          async (action, params, ownBizId) => {
            const req: Record<string, unknown> = { ...params };
            if (ownBizId) req.BizId = app.BizId;
            try {
              await (gme as unknown as Record<string, (r: unknown) => Promise<unknown>>)[action]!(req);
            } catch (err) {
              const e = err as { code?: string; message: string };
              assert.ok(e.code && DOCUMENTED.has(e.code), `${action} ${JSON.stringify(req)} → ${e.code} ${e.message}`);
            }
          },
        ),
        { numRuns: 120 },
      );
    });

    test("any parameters of the voice-room actions get the action's own error or an answer; a refused change changes nothing", async () => {
      const app = await recordingApp(server);
      // Event times run ahead of the server's clock, so a re-entry is always later than the
      // removal before it (a removal happens at the later of now and the member's last event).
      let ctime = Date.now() + 60_000;
      const setUp = async () => {
        const events = ["u1", "u2", "7"].flatMap((userId) =>
          (["gme.user.entered", "gme.audio.started"] as const).map((type) => ({
            id: randomUUID(),
            type,
            ctime: (ctime += 10),
            data: { roomId: "p", userId },
          })),
        );
        assert.equal((await ingest(server, app.key, events)).status, 200);
        await gme.ModifyUserMicStatus({
          BizId: app.BizId,
          RoomId: "p",
          Users: ["u1", "u2", "7"].map((StrUid) => ({ StrUid, EnableMic: 2 })),
        });
        await gme.ModifyAppStatus({ BizId: app.BizId, Status: "open" });
      };
      await setUp();
      const { TaskId } = await gme.StartRecord({ BizId: app.BizId, RoomId: "p", RecordMode: 3 });
      // The room's state as the wire and the recorder see it.
      const state = async () =>
        JSON.stringify([
          (await gme.DescribeRoomInfo({ SdkAppId: app.BizId, StrRoomIds: ["p", "q", "7"], RoomIds: [7] })).RoomUsers,
          (await taskView(server, app.key, TaskId)).capture,
        ]);
      const initial = await state();
      const accepted: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...Object.keys(VOICE_ROOM_CODES)).chain((action) => fc.tuple(fc.constant(action), voiceRoomRequest(action))),
          async ([action, { fields, app: appValue, extra }]) => {
            const req: Record<string, unknown> = { ...fields, ...(extra ?? {}) };
            req[action === "DescribeRoomInfo" ? "SdkAppId" : "BizId"] = appValue === "own" ? app.BizId : appValue;
            // Each run starts from the initial room (a failed run before it may have left it changed).
            let before = await state();
            if (before !== initial) {
              await setUp();
              before = await state();
            }
            try {
              await (gme as unknown as Record<string, (r: unknown) => Promise<unknown>>)[action]!(req);
            } catch (err) {
              const e = err as { code?: string; message: string };
              const allowed = [...GATEWAY, ...VOICE_ROOM_CODES[action]!];
              assert.ok(e.code && allowed.includes(e.code), `${action} ${JSON.stringify(req)} → ${e.code} ${e.message}`);
              assert.equal(await state(), before, `${action} ${JSON.stringify(req)} was refused (${e.code}) but changed the room`);
              return;
            }
            accepted[action] = (accepted[action] ?? 0) + 1;
            await setUp(); // an accepted change: back to the initial room for the next run
            assert.equal(await state(), initial);
          },
        ),
        { numRuns: 120 },
      );
      // The requests are biased so that changes are really made, not only refused early.
      assert.ok((accepted.DeleteRoomMember ?? 0) > 0 && (accepted.ModifyUserMicStatus ?? 0) > 0, JSON.stringify(accepted));
    });

    test("a voice-room batch with any bad event is refused whole (400), never a 500", async () => {
      const good = fc.record({
        type: fc.constantFrom(...EVENT_TYPES),
        userId: fc.constantFrom("a", "b", "c"),
      });
      const bad = fc.oneof(
        fc.record({
          type: fc.constantFrom(...EVENT_TYPES),
          data: fc.oneof(anyValue, fc.constant({ roomId: "r", userId: "0" }), fc.constant({ roomId: "a/b", userId: "x" })),
        }),
        fc.record({ type: fc.string({ maxLength: 20 }), data: fc.constant({ roomId: "r", userId: "x" }) }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(good, { minLength: 1, maxLength: 6 }), bad, fc.nat(), async (goods, oneBad, at) => {
          const roomId = `b-${randomUUID().slice(0, 8)}`;
          const events: unknown[] = goods.map((g, i) => ({
            id: randomUUID(),
            type: g.type,
            ctime: Date.now() + i,
            data: { roomId, userId: g.userId },
          }));
          events.splice(at % (events.length + 1), 0, { id: randomUUID(), type: oneBad.type, ctime: Date.now(), data: oneBad.data });
          const res = await ingest(server, app.key, events);
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.equal(res.body.error.code, "InvalidBatch");
          assert.equal(res.body.error.events[0].index, at % events.length);
          // Nothing of it was stored: the room does not exist.
          const err = await gme.DescribeTaskInfo({ BizId: app.BizId, RoomId: roomId }).catch((e) => e);
          assert.equal(err.code, "ResourceNotFound.RoomNotFound");
        }),
        { numRuns: 30 },
      );
    });

    test("who sends audio does not depend on the order or batching the events arrive in", async () => {
      const event = fc.record({ type: fc.constantFrom(...EVENT_TYPES), userId: fc.constantFrom("a", "b", "c") });
      await fc.assert(
        fc.asyncProperty(
          fc.array(event, { minLength: 1, maxLength: 12 }),
          fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
          fc.integer({ min: 1, max: 3 }),
          async (seq, keys, batches) => {
            const roomId = `o-${randomUUID().slice(0, 8)}`;
            const t0 = Date.now();
            // A host who never speaks keeps the room open for the task.
            await app.room.enter(roomId, "host");
            const { TaskId } = await gme.StartRecord({ BizId: app.BizId, RoomId: roomId, RecordMode: 1 });
            // The model: the events applied in ctime order.
            const state = new Map<string, { in: boolean; audio: boolean }>();
            seq.forEach((e) => {
              const s = state.get(e.userId) ?? { in: false, audio: false };
              if (e.type === "gme.user.entered") s.in = true;
              if (e.type === "gme.user.left") Object.assign(s, { in: false, audio: false });
              if (e.type === "gme.audio.started") Object.assign(s, { in: true, audio: true });
              if (e.type === "gme.audio.stopped") s.audio = false;
              state.set(e.userId, s);
            });
            const expected = [...state]
              .filter(([, s]) => s.in && s.audio)
              .map(([u]) => u)
              .sort();
            // Delivered shuffled, in 1-3 batches.
            const wire = seq.map((e, i) => ({ id: randomUUID(), type: e.type, ctime: t0 + 10 + i, data: { roomId, userId: e.userId } }));
            const order = wire
              .map((w, i) => ({ w, k: keys[i]! }))
              .sort((x, y) => x.k - y.k)
              .map((x) => x.w);
            for (let b = 0; b < batches; b++) {
              const part = order.filter((_, i) => i % batches === b);
              if (part.length) assert.equal((await ingest(server, app.key, part)).status, 200);
            }
            assert.deepEqual((await taskView(server, app.key, TaskId)).toBegin, expected);
            await gme.StopRecord({ BizId: app.BizId, TaskId });
          },
        ),
        { numRuns: 25 },
      );
    });

    test("any recorder report gets 200, 400 or 409, never a 500", async () => {
      const roomId = `reports-${randomUUID().slice(0, 8)}`;
      await app.room.speak(roomId, "a");
      const { TaskId } = await gme.StartRecord({ BizId: app.BizId, RoomId: roomId, RecordMode: 3 });
      const recorder = recorderClient(server, app.worker);
      assert.ok((await recorder.claim("gme-record")).task);
      const report = fc.record({
        type: fc.oneof(fc.constantFrom("stream.began", "stream.status", "task.finished"), fc.string({ maxLength: 12 })),
        data: fc.oneof(
          fc.record(
            {
              userId: fc.oneof(fc.constantFrom("a", "0", "zz"), fc.string({ maxLength: 130 })),
              status: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.string()),
            },
            { requiredKeys: [] },
          ),
          fc.dictionary(fc.string({ maxLength: 5 }), anyValue, { maxKeys: 3 }),
        ),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(report, { minLength: 1, maxLength: 4 }), async (reports) => {
          const res = await fetch(`${server.url}/agent/v1/tasks/${TaskId}/reports`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${app.worker}` },
            body: JSON.stringify({ workerId: recorder.workerId, leaseToken: recorder.leaseToken(String(TaskId)), reports }),
          });
          assert.ok([200, 400, 409].includes(res.status), `${res.status} ${await res.text()}`);
        }),
        { numRuns: 80 },
      );
    });
  });
}
