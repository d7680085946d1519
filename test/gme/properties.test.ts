// Property tests on the GME wire boundaries: arbitrary action parameters get a documented
// error (never InternalError), arbitrary voice-room batches are stored whole or not at all
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
      const recorder = recorderClient(server, app.key);
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
            headers: { "content-type": "application/json", authorization: `Bearer ${app.key}` },
            body: JSON.stringify({ workerId: recorder.workerId, reports }),
          });
          assert.ok([200, 400, 409].includes(res.status), `${res.status} ${await res.text()}`);
        }),
        { numRuns: 80 },
      );
    });
  });
}
