// GME status reports through the batched agent endpoint (POST /agent/v1/reports), where the
// recorder kind applies them set-based: the result must be exactly that of the one-by-one
// route — the same answer (status, error code) and the same DescribeRecordInfo — for any
// sequence of report batches, before and after the stop; and a batch is all or nothing
// across its tasks.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { AgentProtocolError, type AgentClient, type Report } from "../../src/agent/client.ts";
import { beginWanted, gmeClient, recorderClient, recordingApp, statusesOf, type GmeClient } from "./gme-support.ts";

type Outcome = { status: number; code?: string };
const outcome = async (call: Promise<unknown>): Promise<Outcome> => {
  try {
    await call;
    return { status: 200 };
  } catch (err) {
    if (err instanceof AgentProtocolError) return { status: err.status, code: err.code };
    throw err;
  }
};

for (const backend of backends()) {
  describe(`GME batched status reports (${backend})`, () => {
    let server: TestServer;
    let gme: GmeClient;
    let app: Awaited<ReturnType<typeof recordingApp>>;
    let runs = 0;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"], env: { ROOMLEDGER_AGENT_LEASE_MS: "600000" } });
      gme = gmeClient(server);
      app = await recordingApp(server);
    });
    after(() => server.stop());

    /** n recording tasks (mode 3, speakers a and b: streams "0", a, b), claimed and begun by `recorder`. */
    async function recordingTasks(recorder: AgentClient, n: number): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        const roomId = `batch-${++runs}`;
        await app.room.speak(roomId, "a", "b");
        const { TaskId } = await gme.StartRecord({ BizId: app.BizId, RoomId: roomId, RecordMode: 3 });
        ids.push(TaskId!);
      }
      for (const id of ids) {
        assert.equal((await recorder.claim("gme-record")).task?.taskId, String(id));
        await beginWanted(server, app.key, recorder, id);
      }
      return ids;
    }
    const info = async (taskId: number) =>
      (await gme.DescribeRecordInfo({ BizId: app.BizId, TaskId: taskId })).RecordInfo!.map((r) => [r.UserId, r.RecordStatus]);

    test("several tasks' status reports in one request, applied in order; stop lists the tasks asked to stop", async () => {
      const recorder = recorderClient(server, app.worker);
      const [t1, t2] = await recordingTasks(recorder, 2);
      await gme.StopRecord({ BizId: app.BizId, TaskId: t1! });
      await gme.StopRecord({ BizId: app.BizId, TaskId: t2! });
      const walk = (userId: string): Report[] => [10, 11, 11, 12].map((status) => ({ type: "stream.status", data: { userId, status } }));
      const answer = await recorder.reportMany([
        { taskId: String(t1), reports: [...walk("0"), ...walk("a")] },
        { taskId: String(t2), reports: walk("b") },
      ]);
      assert.deepEqual(answer, { applied: 12, stop: [String(t1), String(t2)] });
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ BizId: app.BizId, TaskId: t1! })), { "0": 12, a: 12, b: 2 });
      assert.deepEqual(statusesOf(await gme.DescribeRecordInfo({ BizId: app.BizId, TaskId: t2! })), { "0": 2, a: 2, b: 12 });
    });

    test("all or nothing across tasks: a refused report in one task leaves every task unchanged, with its error", async () => {
      const recorder = recorderClient(server, app.worker);
      const [t1, t2] = await recordingTasks(recorder, 2);
      await gme.StopRecord({ BizId: app.BizId, TaskId: t1! });
      await gme.StopRecord({ BizId: app.BizId, TaskId: t2! });
      await recorder.report(String(t2), [{ type: "stream.status", data: { userId: "0", status: 12 } }]);
      const before1 = await info(t1!);
      const before2 = await info(t2!);
      const ok = { taskId: String(t1), reports: [{ type: "stream.status", data: { userId: "a", status: 13 } }] };
      for (const [reports, code] of [
        [
          [
            { type: "stream.status", data: { userId: "a", status: 12 } },
            { type: "stream.status", data: { userId: "a", status: 10 } },
          ],
          "StatusBackwards",
        ],
        [[{ type: "stream.status", data: { userId: "zz", status: 10 } }], "UnknownStream"],
        // Going forward within the batch, but from below where the stream already is.
        [
          [
            { type: "stream.status", data: { userId: "0", status: 11 } },
            { type: "stream.status", data: { userId: "0", status: 13 } },
          ],
          "StatusBackwards",
        ],
      ] as [Report[], string][]) {
        const err = await recorder.reportMany([ok, { taskId: String(t2), reports }]).catch((e) => e);
        assert.ok(err instanceof AgentProtocolError);
        assert.equal(err.code, code);
        assert.deepEqual(await info(t1!), before1);
        assert.deepEqual(await info(t2!), before2);
      }
      // While a task records, a stream stays at 2: refused as the one-by-one route refuses it.
      const [t3] = await recordingTasks(recorder, 1);
      const err = await recorder
        .reportMany([ok, { taskId: String(t3), reports: [{ type: "stream.status", data: { userId: "a", status: 10 } }] }])
        .catch((e) => e);
      assert.equal(err.code, "StillRecording");
      assert.deepEqual(await info(t1!), before1);
    });

    test("property: any sequence of report batches gives the same answers and DescribeRecordInfo as one by one", async () => {
      const recorder = recorderClient(server, app.worker);
      const report = fc.oneof(
        {
          weight: 12,
          arbitrary: fc.record({
            type: fc.constant("stream.status"),
            data: fc.record({
              userId: fc.oneof({ weight: 9, arbitrary: fc.constantFrom("0", "a", "b") }, { weight: 1, arbitrary: fc.constant("zz") }),
              status: fc.integer({ min: 10, max: 14 }),
            }),
          }),
        },
        { weight: 1, arbitrary: fc.record({ type: fc.constant("stream.began"), data: fc.record({ userId: fc.constantFrom("a", "c") }) }) },
        { weight: 1, arbitrary: fc.record({ type: fc.constant("task.finished"), data: fc.constant({}) }) },
      );
      const steps = fc.array(fc.array(report, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 });
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: -1, max: 4 }), steps, async (stopBefore, batches) => {
          // One: the single-task route. Two and Three: the same reports, together in one batch.
          const [one, two, three] = await recordingTasks(recorder, 3);
          const stop = async () => {
            for (const id of [one, two, three]) await gme.StopRecord({ BizId: app.BizId, TaskId: id! });
          };
          if (stopBefore < 0) await stop();
          for (const [k, reports] of batches.entries()) {
            if (k === stopBefore) await stop();
            const single = await outcome(recorder.report(String(one), reports));
            const batched = await outcome(
              recorder.reportMany([
                { taskId: String(two), reports },
                { taskId: String(three), reports },
              ]),
            );
            assert.deepEqual(batched, single, `batch ${k}: ${JSON.stringify(reports)}`);
            const expected = await info(one!);
            assert.deepEqual(await info(two!), expected);
            assert.deepEqual(await info(three!), expected);
          }
        }),
        { numRuns: 30 },
      );
    });
  });
}
