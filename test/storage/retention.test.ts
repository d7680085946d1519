// Retention (issue 16 item 8) on both backends: rows older than the window go, newer ones
// stay, and a run never deletes what is still needed: an unfinished agent task however old,
// an event inside the duplicate window, a room log whose statistics or grace period still
// need it, a presence stay still open.
//
// First the runner and the platform rules on a bare migrated database (batches, budget),
// then a real server on the development clock: the hourly job, the SDKs' view of it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { randomUUID } from "node:crypto";
import { openDb } from "../../src/storage/open.ts";
import { migrate } from "../../src/storage/migrate.ts";
import type { Db } from "../../src/storage/db.ts";
import { DAY_MS, runRetention } from "../../src/storage/retention.ts";
import { eventLogRetention } from "../../src/ingest/event-log.ts";
import { finishedTaskRetention } from "../../src/agent/tasks.ts";
import { PGLITE_TEMPLATE_VAR, startServer, ROOT, type TestServer } from "../support/server.ts";
import { backends, freshDatabase } from "../support/postgres.ts";
import { diagnostic, postEvents, stored } from "../support/ingest.ts";
import { gmeClient, recordingApp } from "../gme/gme-support.ts";
import { createRoom, eventFactory, ingest, lcicApp } from "../lcic/lcic-support.ts";

const NOW = 1_800_000_000_000;
const OFF = { events: 0, tasks: 0, roomLogs: 0 };
const dirs: string[] = [];

/** A migrated database: PGlite from a copy of the run's migrated template when there is one (an initdb costs most of a minute on a busy machine). */
async function bareDb(backend: string): Promise<Db> {
  const template = process.env[PGLITE_TEMPLATE_VAR];
  let dataDir: string | null = null;
  if (backend === "pglite" && template) {
    dataDir = mkdtempSync(join(tmpdir(), "roomledger-retention-"));
    cpSync(template, dataDir, { recursive: true });
    dirs.push(dataDir);
  }
  const db = await openDb({ databaseUrl: backend === "postgres" ? await freshDatabase() : null, dataDir });
  await migrate(db, [{ component: "platform", dir: join(ROOT, "src", "storage", "migrations") }], () => NOW);
  return db;
}

for (const backend of backends()) {
  describe(`retention runner (${backend})`, () => {
    let db: Db;
    before(async () => {
      db = await bareDb(backend);
    });
    after(async () => {
      await db.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    test("the event log: stored before the cutoff goes, in batches; newer stays; 0 keeps everything", async () => {
      const put = (id: string, stime: number) =>
        db.query(`insert into ingest_events (app_id, event_id, type, ctime, stime, data) values ('a', $1, 't', 0, $2, '{}')`, [id, stime]);
      // Client time says nothing: an event stored yesterday with an ancient ctime is still in its window.
      for (let i = 0; i < 11; i++) await put(`old-${i}`, NOW - 31 * DAY_MS + i);
      await put("edge", NOW - 30 * DAY_MS);
      for (let i = 0; i < 3; i++) await put(`new-${i}`, NOW - DAY_MS);
      assert.deepEqual(await runRetention(db, [eventLogRetention], OFF, NOW, { batch: 4 }), { deleted: {}, complete: true });
      const cut = await runRetention(db, [eventLogRetention], { ...OFF, events: 30 }, NOW, { batch: 4, budgetMs: 0 });
      assert.deepEqual(cut, { deleted: { ingest_events: 4 }, complete: false }, "the budget stops after one full batch");
      const run = await runRetention(db, [eventLogRetention], { ...OFF, events: 30 }, NOW, { batch: 4 });
      assert.deepEqual(run, { deleted: { ingest_events: 7 }, complete: true });
      const left = await db.query<{ event_id: string }>("select event_id from ingest_events order by event_id");
      assert.deepEqual(
        left.rows.map((r) => r.event_id),
        ["edge", "new-0", "new-1", "new-2"],
      );
    });

    test("agent tasks: only finished ones older than the window; a queued or claimed task stays however old", async () => {
      const put = (id: string, state: string, updated: number) =>
        db.query(
          `insert into agent_tasks (app_id, task_id, kind, state, attempts, max_attempts, spec, created_at, updated_at)
           values ('a', $1, 'k', $2, 1, 3, '{}', $3, $3)`,
          [id, state, updated],
        );
      const old = NOW - 40 * DAY_MS;
      for (let i = 0; i < 5; i++) await put(`done-old-${i}`, "done", old);
      await put("queued-old", "queued", old);
      await put("claimed-old", "claimed", old);
      await put("done-new", "done", NOW - 29 * DAY_MS);
      const run = await runRetention(db, [finishedTaskRetention], { ...OFF, tasks: 30 }, NOW, { batch: 2 });
      assert.deepEqual(run, { deleted: { agent_tasks: 5 }, complete: true });
      const left = await db.query<{ task_id: string }>("select task_id from agent_tasks order by task_id");
      assert.deepEqual(
        left.rows.map((r) => r.task_id),
        ["claimed-old", "done-new", "queued-old"],
      );
    });
  });

  describe(`retention on a running server (${backend})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer({ backend, args: ["--rate-limit", "0"] });
    });
    after(async () => {
      await server.stop();
      if (backend === "pglite") rmSync(server.dataDir, { recursive: true, force: true });
    });

    test("30 days by default: the hourly job trims the event log, finished tasks, room logs and presence history", async () => {
      const clock = async () => (await server.admin<{ now: number }>("GET", "/clock")).now;
      const t0 = await clock();

      // ---- Day 0 ----
      // The event log (the development diagnostic type is kept there).
      const appId = await server.createApp(["lcic"]);
      const key = await server.ingestKey(appId);
      const send = (ids: string[]) => postEvents(server, key, JSON.stringify(ids.map((id, i) => diagnostic(id, i))));
      assert.equal((await send(["a1", "a2"])).body.accepted, 2);
      // GME: one task finished (stopped before any recorder took it), one still queued.
      const gme = gmeClient(server);
      const g = await recordingApp(server, { emptyRoomStopSeconds: null });
      await g.room.speak("done-room", "u");
      await g.room.speak("open-room", "u");
      const finished = await gme.StartRecord({ BizId: g.BizId, RoomId: "done-room", RecordMode: 1 });
      await gme.StopRecord({ TaskId: finished.TaskId, BizId: g.BizId });
      const waiting = await gme.StartRecord({ BizId: g.BizId, RoomId: "open-room", RecordMode: 1 });
      // GME presence: "left" came and went on day 0; "stays" entered on day 0 and is still in.
      const mark = (type: string, roomId: string, userId: string, at: number) => ({
        id: randomUUID(),
        type,
        ctime: at,
        data: { roomId, userId },
      });
      const presence = async (events: unknown[]) => assert.equal((await postEvents(server, g.key, JSON.stringify(events))).status, 200);
      await presence([
        mark("gme.user.entered", "p1", "left", t0),
        mark("gme.user.left", "p1", "left", t0 + 60_000),
        mark("gme.user.entered", "p1", "stays", t0 + 1000),
      ]);
      const stays = async (userIdStr: string) =>
        (await gme.DescribeUserInAndOutTime({ BizId: g.BizId, RoomId: 0, UserId: 0, RoomIdStr: "p1", UserIdStr: userIdStr } as never))
          .InOutList!.length;
      // LCIC: a class that starts in 10 s and ends an hour later.
      const lcic = await lcicApp(server);
      const classOf = async () => {
        const start = Math.floor((await clock()) / 1000) + 10;
        const roomId = await createRoom(lcic, start, { EndDelayTime: -1 });
        const ev = eventFactory(roomId, `r${roomId}`);
        await server.advance(20);
        await ingest(server, lcic.ingestKey, [
          ev("lcic.member.joined", start, "teacher", { Role: 1 }),
          ev("lcic.member.joined", start + 5, "pupil"),
        ]);
        await server.advance(3600 + 10); // ended
        await server.advance(6); // statistics computed (5 s after the end)
        return roomId;
      };
      const events = (roomId: number) =>
        lcic.client.GetRoomEvent({ RoomId: roomId, SdkAppId: lcic.sdkAppId, Page: 1, Limit: 100 }).then((r) => r.Total!);
      const statistics = (roomId: number) => lcic.client.DescribeRoomStatistics({ RoomId: roomId, Page: 1, Limit: 10 });
      const oldRoom = await classOf();
      const oldStats = await statistics(oldRoom);
      assert.ok((await events(oldRoom)) > 0);

      // ---- Day 20: newer rows ----
      await server.advance(20 * 86_400);
      assert.equal((await send(["b1"])).body.accepted, 1);
      const newRoom = await classOf();
      assert.ok((await events(newRoom)) > 0);
      await presence([mark("gme.user.entered", "p1", "later", await clock())]);

      // ---- Day 31: the job has run; day 0 is past the 30-day window, day 20 is not ----
      await server.advance(11 * 86_400);
      assert.deepEqual((await stored(server, appId)).EventIds.sort(), ["b1"]);
      // Inside the window a retry is still a duplicate; past it, the id is new again (the
      // documented duplicate window).
      const again = (await send(["b1", "a1"])).body;
      assert.deepEqual([again.received, again.accepted, again.duplicates], [2, 1, 1]);
      assert.equal(await events(oldRoom), 0, "the old class's log is gone");
      const { RequestId: _, ...statsBefore } = oldStats;
      const { RequestId: __, ...statsAfter } = await statistics(oldRoom);
      assert.deepEqual(statsAfter, statsBefore, "the statistics stay");
      assert.ok((await events(newRoom)) > 0, "the newer class keeps its log");
      assert.equal(await stays("left"), 0, "a stay that ended before the cutoff is gone");
      assert.equal(await stays("stays"), 1, "a stay still open keeps its start");
      assert.equal(await stays("later"), 1);
      // The waiting recording is still there to be recorded.
      assert.equal((await gme.DescribeTaskInfo({ BizId: g.BizId, RoomId: "open-room" })).TaskId, waiting.TaskId);

      const tasks = await agentTasks(server, backend, g.bizId);
      assert.deepEqual(tasks, [{ task_id: String(waiting.TaskId), state: "queued" }]);
    });
  });
}

/** The app's agent tasks, read from the database (PGlite: with the server stopped, then started again). */
async function agentTasks(server: TestServer, backend: string, appId: string): Promise<{ task_id: string; state: string }[]> {
  const read = async (db: Db) =>
    (
      await db.query<{ task_id: string; state: string }>("select task_id, state from agent_tasks where app_id = $1 order by task_id", [
        appId,
      ])
    ).rows;
  if (backend === "postgres") {
    const db = await openDb({ databaseUrl: server.databaseUrl, dataDir: null });
    try {
      return await read(db);
    } finally {
      await db.close();
    }
  }
  await server.proc.kill("SIGTERM");
  await new Promise((r) => server.proc.once("exit", r));
  const db = await openDb({ databaseUrl: null, dataDir: server.dataDir });
  try {
    return await read(db);
  } finally {
    await db.close();
  }
}
