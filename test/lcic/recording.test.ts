// Class recording through the official SDK, with the simulated recorder speaking the real
// agent protocol (run in this process; only the media work is pretend): the automatic
// recording of a class from its start to its end, manual StartRecord/StopRecord, the files
// in DescribeRecord/DescribeRecordStream, the RecordFinish callback, playback list and
// tokens, deletion, a recorder that vanishes, and the documented errors.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startServer, type TestServer } from "../support/server.ts";
import { describeBackendsSideBySide } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { AgentClient } from "../../src/agent/client.ts";
import { lcicRecorderSimulator } from "../../src/products/lcic/recording/recorder-simulator.ts";
import { createRoom, eventFactory, ingest, lcicApp, lcicClient, serverNow, type LcicApp, type LcicClient } from "./lcic-support.ts";

const LEASE_MS = 1500;
const HUNDRED_YEARS_S = 3_153_600_000;

interface Delivery {
  EventType: string;
  EventData: Record<string, unknown>;
}

function jwt(token: string): { header: unknown; payload: { class_id: number; exp: number } } {
  const [h, p, sig] = token.split(".");
  assert.ok(h && p && sig, token);
  return { header: JSON.parse(Buffer.from(h, "base64url").toString()), payload: JSON.parse(Buffer.from(p, "base64url").toString()) };
}

async function eventually<T>(what: string, f: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeBackendsSideBySide("LCIC recording", (backend) => {
  let server: TestServer;
  let app: LcicApp;
  let c: LcicClient;
  let teacher: string;
  let student: string;
  const deliveries: Delivery[] = [];
  let receiver: http.Server;
  const running: Promise<void>[] = [];
  const abort = new AbortController();

  /** One simulated recorder that records one task and exits. */
  const recorder = (workerId: string) => {
    const p = lcicRecorderSimulator({
      baseUrl: server.url,
      credential: app.worker,
      workerId,
      startDelayMs: 0,
      failureRate: 0,
      once: true,
      signal: abort.signal,
      log: () => {},
    });
    running.push(p);
    return p;
  };
  const view = async (taskId: string) => {
    const res = await fetch(`${server.url}/lcic/v1/record-tasks/${taskId}`, { headers: { authorization: `Bearer ${app.worker}` } });
    return (await res.json()) as { state: string; beganAt: number | null; stoppedAt: number | null; singleStreams: string[] };
  };

  before(async () => {
    server = await startServer({
      backend,
      args: ["--rate-limit", "10000"],
      env: { ROOMLEDGER_AGENT_LEASE_MS: String(LEASE_MS), ROOMLEDGER_AGENT_SWEEP_MS: "100" },
    });
    app = await lcicApp(server);
    c = app.client;
    teacher = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Ms. T" })).UserId!;
    student = (await c.RegisterUser({ SdkAppId: app.sdkAppId, Name: "Ann" })).UserId!;
    receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        deliveries.push(JSON.parse(body));
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    const port = (receiver.address() as AddressInfo).port;
    await server.admin("POST", "/callbacks", { appId: app.appId, product: "lcic", url: `http://127.0.0.1:${port}/lcic`, key: "k" });
  });
  after(async () => {
    abort.abort();
    await Promise.allSettled(running);
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    await server.stop();
  });

  test("a class records itself from its start to its end: files, streams, RecordFinish, playback", async () => {
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60, { TeacherId: teacher, RecordStream: 1, RecordLayout: 7 });
    assert.equal((await c.DescribeRecordTask({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId, "");
    assert.deepEqual((await c.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).RecordInfo, []);
    assert.equal((await sdkError(c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId }))).code, "FailedOperation");

    const done = recorder("rec-auto");
    // The teacher's entry starts the class, and the class's recording.
    const ev = eventFactory(roomId, `auto-${roomId}`);
    await ingest(server, app.ingestKey, [
      ev("lcic.member.joined", now, teacher, { Role: 1 }),
      ev("lcic.member.joined", now, student, { Role: 0 }),
      ev("lcic.stage.up", now, student),
    ]);
    const { TaskId } = await c.DescribeRecordTask({ SdkAppId: app.sdkAppId, RoomId: roomId });
    assert.match(TaskId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    // StartRecord while it records: the same task.
    assert.equal((await c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId, TaskId);
    const began = await eventually("the recorder to begin", async () => (await view(TaskId!)).beganAt);
    assert.deepEqual((await view(TaskId!)).singleStreams, [student, teacher].sort());

    await server.advance(1800); // half an hour of class, in a moment
    await c.EndRoom({ RoomId: roomId });
    await done;
    const info = await c.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId });
    assert.equal(info.SchoolId, app.sdkAppId);
    assert.equal(info.ClassId, roomId);
    assert.equal(info.RecordInfo!.length, 1);
    const f = info.RecordInfo![0]!;
    assert.equal(f.TaskId, TaskId);
    assert.equal(f.StartTime, Math.floor(began / 1000));
    assert.ok(f.Duration! >= 1800 && f.Duration! <= 1801, String(f.Duration));
    assert.equal(f.StopTime, f.StartTime! + f.Duration!);
    assert.equal(f.FileFormat, "mp4");
    assert.equal(f.RecordSize, f.Duration! * 125_000);
    assert.match(f.VideoId!, /^[1-9][0-9]{18}$/);
    assert.equal(f.RecordUrl, `https://record.roomledger.invalid/${app.sdkAppId}/${roomId}/${TaskId}/f0.mp4`);
    assert.equal((await view(TaskId!)).state, "done");

    const streams = await c.DescribeRecordStream({ SdkAppId: app.sdkAppId, RoomId: roomId });
    assert.equal(streams.ClassType, 0);
    assert.deepEqual(
      streams.StreamInfo!.map((s) => [s.UserId, s.Role, s.Duration]).sort(),
      [
        [student, "main", f.Duration],
        [teacher, "main", f.Duration],
      ].sort(),
    );

    const finish = await eventually("RecordFinish", async () =>
      deliveries.find((d) => d.EventType === "RecordFinish" && d.EventData.RoomId === roomId),
    );
    assert.deepEqual(finish.EventData, { RoomId: roomId, Duration: f.Duration, RecordSize: f.RecordSize, RecordUrl: f.RecordUrl });

    const list = await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, RoomId: roomId });
    assert.equal(list.Total, 1);
    const item = list.Items![0]!;
    assert.equal(item.RoomId, roomId);
    assert.equal(item.CreateTime, f.StartTime);
    assert.equal(item.Duration, f.Duration);
    assert.equal(item.FileSize, Math.round((f.RecordSize! / 1024 / 1024) * 100) / 100);
    const url = new URL(item.PlaybackUrl!);
    assert.equal(`${url.origin}${url.pathname}`, "https://playback.roomledger.invalid/playback/index.html");
    assert.equal(url.searchParams.get("classid"), String(roomId));
    assert.deepEqual(jwt(url.searchParams.get("token")!).payload, { class_id: roomId, exp: f.StartTime! + HUNDRED_YEARS_S });
    // Read twice, the same URL.
    assert.equal((await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, RoomId: roomId })).Items![0]!.PlaybackUrl, item.PlaybackUrl);

    // Removed from the playback list, the files stay; DeleteRecord deletes them.
    await c.DeletePlaybackItem({ SdkAppId: app.sdkAppId, RoomId: roomId });
    await c.DeletePlaybackItem({ SdkAppId: app.sdkAppId, RoomId: roomId });
    assert.equal((await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, RoomId: roomId })).Total, 0);
    assert.equal((await c.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).RecordInfo!.length, 1);
    await c.DeleteRecord({ SdkAppId: app.sdkAppId, RoomId: roomId });
    await c.DeleteRecord({ SdkAppId: app.sdkAppId, RoomId: roomId });
    assert.deepEqual((await c.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).RecordInfo, []);
    assert.deepEqual((await c.DescribeRecordStream({ SdkAppId: app.sdkAppId, RoomId: roomId })).StreamInfo, []);
    assert.equal((await c.DescribeRecordTask({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId, TaskId);
  });

  test("manual recording (DisableRecord 2): StartRecord/StopRecord, twice; BatchDeleteRecord", async () => {
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60, { DisableRecord: 2 });
    const other = await createRoom(app, now + 60);
    await c.StartRoom({ RoomId: roomId });
    assert.equal((await c.DescribeRecordTask({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId, "");
    // A task no recorder picked up stops at once, with nothing recorded.
    const first = (await c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId!;
    assert.equal((await c.DescribeRecordTask({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId, first);
    assert.equal((await sdkError(c.StopRecord({ SdkAppId: app.sdkAppId, RoomId: roomId, TaskId: "nope" }))).code, "ResourceNotFound");
    await c.StopRecord({ SdkAppId: app.sdkAppId, RoomId: roomId, TaskId: first });
    await c.StopRecord({ SdkAppId: app.sdkAppId, RoomId: roomId, TaskId: first });
    assert.equal((await view(first)).state, "done");
    // A second recording, picked up by a recorder.
    const done = recorder("rec-manual");
    const second = (await c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId!;
    assert.notEqual(second, first);
    await eventually("the recorder to begin", async () => (await view(second)).beganAt);
    await server.advance(600);
    await c.StopRecord({ SdkAppId: app.sdkAppId, RoomId: roomId, TaskId: second });
    await done;
    const files = (await c.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).RecordInfo!;
    assert.deepEqual(
      files.map((f) => f.TaskId),
      [second],
    );
    // Only the mix: RecordStream 0 keeps no single streams.
    assert.deepEqual((await c.DescribeRecordStream({ SdkAppId: app.sdkAppId, RoomId: roomId })).StreamInfo, []);
    // Another room of the account and rooms that are nobody's are left out of the answer.
    const batch = await c.BatchDeleteRecord({ SdkAppId: app.sdkAppId, RoomIds: [other, roomId, roomId, 1] });
    assert.deepEqual(batch.RoomIds, [roomId]);
    assert.equal((await c.BatchDeleteRecord({ SdkAppId: app.sdkAppId, RoomIds: [roomId] })).RoomIds, null);
    assert.equal(
      (await sdkError(c.BatchDeleteRecord({ SdkAppId: app.sdkAppId, RoomIds: Array.from({ length: 101 }, (_, i) => i + 1) }))).code,
      "InvalidParameter.ClassIDs",
    );
  });

  test("rooms that do not record by task: DisableRecord 1 and 3; signalling playback", async () => {
    const now = await serverNow(server);
    const off = await createRoom(app, now + 60, { DisableRecord: 1 });
    const signalling = await createRoom(app, now + 60, { DisableRecord: 3 });
    for (const roomId of [off, signalling]) {
      await c.StartRoom({ RoomId: roomId });
      assert.equal((await c.DescribeRecordTask({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId, "");
      const e = await sdkError(c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId }));
      assert.equal(e.code, "FailedOperation");
      assert.match(e.message, /DisableRecord/);
    }
    assert.equal((await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, RoomId: signalling })).Total, 0);
    await c.EndRoom({ RoomId: signalling });
    await c.EndRoom({ RoomId: off });
    const list = await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, RoomId: signalling });
    assert.equal(list.Total, 1);
    const item = list.Items![0]!;
    assert.equal(item.Duration, 0);
    assert.equal("FileSize" in item, false); // as the cloud's example item: no file, no FileSize
    assert.equal((await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, RoomId: off })).Total, 0);
    assert.equal((await sdkError(c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: signalling }))).code, "FailedOperation");
    const ended = await createRoom(app, now + 60);
    await c.StartRoom({ RoomId: ended });
    await c.EndRoom({ RoomId: ended });
    assert.equal((await sdkError(c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: ended }))).code, "FailedOperation.ClassEnded");
    // Paging of the app's list: Limit bounds.
    assert.equal((await sdkError(c.DescribePlaybackList({ SdkAppId: app.sdkAppId, Limit: 101 }))).code, "InvalidParameterValue");
    const one = await c.DescribePlaybackList({ SdkAppId: app.sdkAppId, Page: 1, Limit: 1 });
    assert.equal(one.Items!.length, 1);
    assert.ok(one.Total! >= 1);
  });

  test("playback tokens: HS256 JWTs of {class_id, exp}; ExpireSeconds 0 is 100 years", async () => {
    const now = await serverNow(server);
    const a = await createRoom(app, now + 60);
    const b = await createRoom(app, now + 60);
    const t = await c.GetPlaybackToken({ SdkAppId: app.sdkAppId, RoomId: a, UserId: student });
    assert.equal(t.RoomId, a);
    assert.equal(t.UserId, student);
    const { header, payload } = jwt(t.Token!);
    assert.equal(t.Token!.split(".")[0], "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"); // the cloud's examples' header, byte for byte
    assert.deepEqual(header, { alg: "HS256", typ: "JWT" });
    assert.equal(payload.class_id, a);
    assert.ok(Math.abs(payload.exp - (now + HUNDRED_YEARS_S)) <= 2);
    const short = await c.GetPlaybackToken({ SdkAppId: app.sdkAppId, RoomId: a, ExpireSeconds: 3600 });
    assert.ok(Math.abs(jwt(short.Token!).payload.exp - (now + 3600)) <= 2);
    assert.equal(short.UserId, "");
    const batch = await c.BatchGetPlaybackToken({ SdkAppId: app.sdkAppId, RoomIds: [b, a, b], ExpireSeconds: 0, UserId: student });
    assert.equal(batch.Total, 2);
    assert.equal(batch.UserId, student);
    assert.deepEqual(
      batch.Results!.map((r) => [r.RoomId, jwt(r.Token!).payload.class_id]),
      [
        [b, b],
        [a, a],
      ],
    );
    assert.equal((await sdkError(c.BatchGetPlaybackToken({ SdkAppId: app.sdkAppId, RoomIds: [a, 1] }))).code, "ResourceNotFound.Room");
    assert.equal(
      (await sdkError(c.BatchGetPlaybackToken({ SdkAppId: app.sdkAppId, RoomIds: Array.from({ length: 101 }, () => a) }))).code,
      "InvalidParameter.ClassIDs",
    );
    assert.equal((await sdkError(c.GetPlaybackToken({ SdkAppId: app.sdkAppId, RoomId: 1 }))).code, "ResourceNotFound.Room");
    assert.equal((await sdkError(c.GetPlaybackToken({ SdkAppId: 1, RoomId: a }))).code, "InvalidParameter.SdkAppId");
    assert.equal(
      (await sdkError(c.GetPlaybackToken({ SdkAppId: app.sdkAppId, RoomId: a, ExpireSeconds: HUNDRED_YEARS_S + 1 }))).code,
      "InvalidParameterValue",
    );
  });

  test("a recorder that vanishes: another continues; after three claims the task is lost and the room may record again", async () => {
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60, { DisableRecord: 2 });
    await c.StartRoom({ RoomId: roomId });
    const taskId = (await c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId!;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const w = new AgentClient({ baseUrl: server.url, credential: app.worker, workerId: `ghost-${attempt}` });
      const claimed = await eventually(`claim ${attempt}`, async () => (await w.claim("lcic-record")).task);
      assert.equal(claimed.taskId, taskId);
      assert.equal(claimed.attempt, attempt);
      await w.report(taskId, [{ type: "record.began", data: {} }]);
      // Files only after the stop: refused while recording, nothing stored.
      await assert.rejects(
        w.report(taskId, [{ type: "file.uploaded", data: { startTime: 1, stopTime: 2, format: "mp4", url: "u", size: 1, videoId: "" } }]),
        /still recording/,
      );
    }
    await eventually("the task to be lost", async () => (await view(taskId)).state === "lost", LEASE_MS * 4);
    assert.deepEqual((await c.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).RecordInfo, []);
    const again = (await c.StartRecord({ SdkAppId: app.sdkAppId, RoomId: roomId })).TaskId!;
    assert.notEqual(again, taskId);
    await c.StopRecord({ SdkAppId: app.sdkAppId, RoomId: roomId, TaskId: again });
  });

  test("errors: another account's room, an app that is not the room's", async () => {
    const now = await serverNow(server);
    const roomId = await createRoom(app, now + 60);
    const foreign = await server.admin("POST", "/accounts", { name: "other school" });
    const fc = lcicClient(server, { secretId: foreign.secretId, secretKey: foreign.secretKey });
    const otherApp = Number(await server.createApp(["lcic"]));
    for (const call of [
      () => fc.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId }),
      () => c.DescribeRecord({ SdkAppId: otherApp, RoomId: roomId }),
      () => c.DescribeRecordStream({ SdkAppId: otherApp, RoomId: roomId }),
      () => c.DescribeRecordTask({ SdkAppId: otherApp, RoomId: roomId }),
      () => c.StartRecord({ SdkAppId: otherApp, RoomId: roomId }),
      () => c.StopRecord({ SdkAppId: otherApp, RoomId: roomId, TaskId: "x" }),
      () => c.DeleteRecord({ SdkAppId: otherApp, RoomId: roomId }),
      () => c.DeletePlaybackItem({ SdkAppId: otherApp, RoomId: roomId }),
    ]) {
      const code = (await sdkError(call())).code;
      assert.ok(code === "ResourceNotFound.Room" || code === "InvalidParameter.SdkAppId", code);
    }
    assert.equal((await sdkError(c.DescribeRecord({ SdkAppId: otherApp, RoomId: roomId }))).code, "ResourceNotFound.Room");
    assert.equal((await sdkError(fc.DescribeRecord({ SdkAppId: app.sdkAppId, RoomId: roomId }))).code, "InvalidParameter.SdkAppId");
    assert.equal((await sdkError(c.StopRecord({ SdkAppId: app.sdkAppId, RoomId: roomId } as never))).code, "MissingParameter");
  });
});
