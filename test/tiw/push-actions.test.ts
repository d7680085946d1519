// TIW whiteboard push actions through tencentcloud-sdk-nodejs's tiw client: every action,
// its parameters and documented errors, and the seed's two example answers field by field.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type TestServer } from "../support/server.ts";
import { backends } from "../support/postgres.ts";
import { sdkError } from "../support/tencent.ts";
import { pushUser, tiwApp, tiwClient, worker, type TiwClient } from "./helpers.ts";

// The seed's (002) example answers.
const SEED_OK = {
  ExceptionCnt: 0,
  FinishReason: "USER_CALL",
  GroupId: "880528",
  IMSyncTime: 0,
  PushStartTime: 1610591726,
  PushStopTime: 1610591759,
  PushUserId: "tic_push_user_880528_test1",
  RoomId: 880528,
  Status: "STOPPED",
  Backup: "",
};
const SEED_FAILED_MESSAGE =
  "code: 40006, msg: 2021-01-13 22:34:42, TRTC onError, code: -70003, msg: The UserSig in use is illegal. Please regenerate UserSig through official API. (FYI: https://cloud.tencent.com/document/product/269/32688 )\n";

for (const backend of backends()) {
  describe(`TIW push actions (${backend})`, () => {
    let server: TestServer;
    let c: TiwClient;
    let app: { appId: number; key: string };
    before(async () => {
      // Long leases: these tests drive the worker side by hand, without heartbeats.
      server = await startServer({ backend, env: { ROOMLEDGER_AGENT_LEASE_MS: "60000", ROOMLEDGER_RATE_LIMIT: "0" } });
      c = tiwClient(server);
      app = await tiwApp(server);
    });
    after(() => server.stop());

    const start = (extra: Record<string, unknown> = {}) =>
      c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 880528, PushUserId: pushUser(), PushUserSig: "sig", ...extra } as never);

    test("StartWhiteboardPush answers a cloud-shaped TaskId; Describe shows it PREPARED with the defaults", async () => {
      const user = pushUser();
      const started = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 4294967295, PushUserId: user, PushUserSig: "sig" });
      assert.match(started.TaskId!, /^[a-z0-9]{20}$/);
      assert.equal(started.Backup, "");
      assert.match(started.RequestId!, /^[0-9a-f-]{36}$/);
      const d = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: started.TaskId! });
      const { RequestId, ...fields } = d;
      assert.ok(RequestId);
      assert.deepEqual(fields, {
        FinishReason: "",
        TaskId: started.TaskId,
        Status: "PREPARED",
        RoomId: 4294967295,
        GroupId: "4294967295",
        PushUserId: user,
        PushStartTime: 0,
        PushStopTime: 0,
        ExceptionCnt: 0,
        IMSyncTime: 0,
        Backup: "",
      });
    });

    test("GroupId given is the group described", async () => {
      const { TaskId } = await start({ GroupId: "wb-group-1" });
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! })).GroupId, "wb-group-1");
    });

    test("seed example 1: a push stopped by the user, field by field", async () => {
      const app = await tiwApp(server);
      const { TaskId } = await c.StartWhiteboardPush({
        SdkAppId: app.appId,
        RoomId: 880528,
        PushUserId: SEED_OK.PushUserId,
        PushUserSig: "sig",
      });
      const w = worker(server, app.worker, "seed-worker-1");
      const claimed = await w.claim("tiw-push");
      assert.equal(claimed.task?.taskId, TaskId);
      assert.equal((claimed.task?.spec as { PushUserId: string } | undefined)?.PushUserId, SEED_OK.PushUserId);
      await w.report(TaskId!, [{ type: "started", time: SEED_OK.PushStartTime * 1000, data: { imSyncTime: 0 } }]);
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! })).Status, "PUSHING");
      assert.deepEqual(await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! }).then(({ RequestId, ...r }) => r), {
        Backup: "",
      });
      // Asked, not yet confirmed: still pushing, and a second stop is refused.
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! })).Status, "PUSHING");
      assert.equal(
        (await sdkError(c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! }))).code,
        "UnsupportedOperation.TaskHasAlreadyStopped",
      );
      assert.deepEqual(await w.heartbeat(TaskId!).then((h) => h.stop), true);
      await w.report(TaskId!, [{ type: "stopped", time: SEED_OK.PushStopTime * 1000 }]);
      const { RequestId, ...fields } = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
      assert.ok(RequestId);
      assert.deepEqual(fields, { ...SEED_OK, TaskId });
      assert.deepEqual(Object.keys(fields).sort(), [...Object.keys(SEED_OK), "TaskId"].sort());
      // The worker's lease is gone with the task.
      assert.equal((await w.heartbeat(TaskId!).catch((e) => e)).status, 409);
    });

    test("seed example 2: a push that failed answers FailedOperation.WhiteboardPush with the worker's error", async () => {
      const app = await tiwApp(server);
      const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 880528, PushUserId: pushUser(), PushUserSig: "sig" });
      const w = worker(server, app.worker, "seed-worker-2");
      assert.equal((await w.claim("tiw-push")).task?.taskId, TaskId);
      await w.report(TaskId!, [
        {
          type: "failed",
          data: {
            code: 40006,
            message:
              "2021-01-13 22:34:42, TRTC onError, code: -70003, msg: The UserSig in use is illegal. Please regenerate UserSig through official API. (FYI: https://cloud.tencent.com/document/product/269/32688 )",
          },
        },
      ]);
      for (const language of ["en-US", "zh-CN"] as const) {
        const err = await sdkError(tiwClient(server, { language }).DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! }));
        assert.equal(err.code, "FailedOperation.WhiteboardPush");
        assert.equal(err.message, SEED_FAILED_MESSAGE);
        assert.match(err.requestId!, /^[0-9a-f-]{36}$/);
      }
      // Failed for good: stopping it is stopping a stopped task.
      assert.equal(
        (await sdkError(c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! }))).code,
        "UnsupportedOperation.TaskHasAlreadyStopped",
      );
    });

    test("a push that failed after its first frame is described: STOPPED, EXCEPTION, its exceptions counted", async () => {
      const app = await tiwApp(server);
      const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "sig" });
      const w = worker(server, app.worker, "worker-3");
      await w.claim("tiw-push");
      await w.report(TaskId!, [
        { type: "started", data: { imSyncTime: 1610591726 } },
        { type: "exception", data: { code: 40010, message: "network jitter" } },
        { type: "failed", data: { code: "40011", message: "TRTC onExitRoom" } },
      ]);
      const d = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
      assert.equal(d.Status, "STOPPED");
      assert.equal(d.FinishReason, "EXCEPTION");
      assert.equal(d.ExceptionCnt, 2);
      assert.equal(d.IMSyncTime, 1610591726);
      assert.ok(d.PushStopTime! >= d.PushStartTime!);
    });

    test("StopWhiteboardPush: a task no worker holds stops at once; a second stop is TaskHasAlreadyStopped", async () => {
      const { TaskId } = await start();
      assert.equal((await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! })).Backup, "");
      const d = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
      assert.equal(d.Status, "STOPPED");
      assert.equal(d.FinishReason, "USER_CALL");
      assert.equal(d.PushStartTime, 0);
      assert.ok(d.PushStopTime! > 0);
      const again = await sdkError(c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! }));
      assert.equal(again.code, "UnsupportedOperation.TaskHasAlreadyStopped");
      assert.equal(again.message, "The task has ended, and the operation cannot be performed.");
    });

    test("an unknown task is InvalidParameter.TaskNotFound", async () => {
      // One call at a time: a second promise rejecting before it is awaited would be an
      // unhandled rejection, which fails the test whatever its code.
      for (const call of [
        () => c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: "ghucnligqtgtvk2624mb" }),
        () => c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: "ghucnligqtgtvk2624mb" }),
      ]) {
        assert.equal((await sdkError(call())).code, "InvalidParameter.TaskNotFound");
      }
      // Another app's task is not this app's.
      const other = await tiwApp(server);
      const { TaskId } = await start();
      assert.equal(
        (await sdkError(c.DescribeWhiteboardPush({ SdkAppId: other.appId, TaskId: TaskId! }))).code,
        "InvalidParameter.TaskNotFound",
      );
    });

    test("apps: another account's, missing, and without the whiteboard service", async () => {
      const account = await server.admin<{ accountId: string }>("POST", "/accounts", { name: "someone else" });
      const foreign = Number(
        (await server.admin<{ appId: string }>("POST", "/apps", { products: ["tiw"], accountId: account.accountId })).appId,
      );
      const lcicOnly = Number(await server.createApp(["lcic"]));
      const missing = 1999999999;
      const calls = (id: number) => ({
        StartWhiteboardPush: () => c.StartWhiteboardPush({ SdkAppId: id, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" }),
        StopWhiteboardPush: () => c.StopWhiteboardPush({ SdkAppId: id, TaskId: "ghucnligqtgtvk2624mb" }),
        DescribeWhiteboardPush: () => c.DescribeWhiteboardPush({ SdkAppId: id, TaskId: "ghucnligqtgtvk2624mb" }),
        SetWhiteboardPushCallback: () => c.SetWhiteboardPushCallback({ SdkAppId: id, Callback: "" }),
        SetWhiteboardPushCallbackKey: () => c.SetWhiteboardPushCallbackKey({ SdkAppId: id, CallbackKey: "" }),
        DescribeWhiteboardPushCallback: () => c.DescribeWhiteboardPushCallback({ SdkAppId: id }),
      });
      for (const [name, call] of Object.entries(calls(foreign))) {
        assert.equal((await sdkError(call())).code, "UnauthorizedOperation.SdkAppId", name);
      }
      for (const [name, call] of Object.entries(calls(lcicOnly))) {
        const err = await sdkError(call());
        assert.equal(err.code, "ResourceUnavailable.NotRegistered", name);
      }
      // Start and Stop document InvalidParameter.SdkAppIdNotFound; the others only UnauthorizedOperation.SdkAppId.
      for (const [name, call] of Object.entries(calls(missing))) {
        const expected =
          name === "StartWhiteboardPush" || name === "StopWhiteboardPush"
            ? "InvalidParameter.SdkAppIdNotFound"
            : "UnauthorizedOperation.SdkAppId";
        assert.equal((await sdkError(call())).code, expected, name);
      }
    });

    test("StartWhiteboardPush validates every documented parameter", async () => {
      const base = { SdkAppId: app.appId, RoomId: 12345, PushUserSig: "sig" };
      const cases: [Record<string, unknown>, string, RegExp?][] = [
        [{ RoomId: 0 }, "InvalidParameterValue", /RoomId/],
        [{ RoomId: 4294967296 }, "InvalidParameterValue"],
        [{ RoomId: "abc" }, "InvalidParameter.BodyParameterTypeUnmatched", /Parameter `RoomId` type error/],
        [{ SdkAppId: "x" }, "InvalidParameter.BodyParameterTypeUnmatched"],
        [{ PushUserSig: undefined }, "MissingParameter", /PushUserSig/],
        [{ PushUserId: "u".repeat(61) }, "InvalidParameterValue", /PushUserId/],
        [{ PushUserId: "用".repeat(21) }, "InvalidParameterValue"], // 63 bytes: the limit is in bytes
        [{ AutoStopTimeout: 299 }, "InvalidParameterValue"],
        [{ AutoStopTimeout: 259201 }, "InvalidParameterValue"],
        [{ VideoFPS: 31 }, "InvalidParameterValue"],
        [{ VideoFPS: -1 }, "InvalidParameterValue"],
        [{ VideoBitrate: 2001 }, "InvalidParameterValue"],
        [{ Whiteboard: { Width: 1 } }, "InvalidParameterValue", /Whiteboard.Width/],
        [{ Whiteboard: { Height: "tall" } }, "InvalidParameter.BodyParameterTypeUnmatched"],
        [{ Whiteboard: { Depth: 3 } }, "UnknownParameter", /Whiteboard.Depth/],
        [{ TRTCEnterRoomMode: "TRTCAppSceneAudioCall" }, "InvalidParameterValue"],
        [{ TRTCRoomId: 0 }, "InvalidParameterValue"],
        [{ AutoRecord: "yes" }, "InvalidParameter.BodyParameterTypeUnmatched"],
        [{ UserDefinedRecordId: "has space" }, "InvalidParameter.RecordParameter", /UserDefinedRecordId/],
        [{ UserDefinedStreamId: "s".repeat(65) }, "InvalidParameter.RecordParameter", /UserDefinedStreamId/],
        [{ ExtraData: "feature-x" }, "InvalidParameter.InvalidExtra"],
        [{ Backup: { PushUserId: "b1" } }, "MissingParameter", /Backup.PushUserSig/],
        [{ IMAuthParam: { SdkAppId: 1, UserId: "u" } }, "MissingParameter", /IMAuthParam.UserSig/],
        [{ ActionTimer: 1 }, "UnknownParameter", /ActionTimer/],
      ];
      for (const [patch, code, message] of cases) {
        const req: Record<string, unknown> = { ...base, PushUserId: pushUser(), ...patch };
        for (const k of Object.keys(req)) if (req[k] === undefined) delete req[k];
        const err = await sdkError(c.StartWhiteboardPush(req as never));
        assert.equal(err.code, code, JSON.stringify(patch));
        if (message) assert.match(err.message, message, JSON.stringify(patch));
      }
      // Every optional parameter at once, within range, is accepted and reaches the worker.
      const fresh = await tiwApp(server);
      const full = await c.StartWhiteboardPush({
        ...base,
        SdkAppId: fresh.appId,
        PushUserId: pushUser(),
        Whiteboard: { Width: 2, Height: 3000, InitParam: '{"ratio":"16:9"}' },
        AutoStopTimeout: 259200,
        AutoManageBackup: false,
        PrivateMapKey: "pmk",
        VideoFPS: 0,
        VideoBitrate: 2000,
        AutoRecord: true,
        UserDefinedRecordId: "rec_1-A",
        AutoPublish: true,
        UserDefinedStreamId: "stream_1",
        ExtraData: "",
        TRTCRoomId: 54321,
        TRTCRoomIdStr: "room-str",
        IMAuthParam: { SdkAppId: 1400000001, UserId: "im_user", UserSig: "im_sig" },
        TRTCAuthParam: { SdkAppId: 1400000002, UserId: "trtc_user", UserSig: "trtc_sig" },
        TRTCEnterRoomMode: "TRTCAppSceneLIVE",
        GroupId: "g-1",
      });
      const t = (await worker(server, fresh.worker, "spec-reader").claim("tiw-push")).task;
      assert.equal(t?.taskId, full.TaskId);
      const spec = t!.spec;
      assert.equal(spec.TRTCRoom, "room-str");
      assert.equal(spec.TRTCEnterRoomMode, "TRTCAppSceneLIVE");
      assert.deepEqual(spec.Whiteboard, { Width: 2, Height: 3000, InitParam: '{"ratio":"16:9"}' });
      assert.equal(spec.VideoFPS, 0);
      assert.equal(spec.AutoStopTimeout, 259200);
    });

    test("a push user already pushing is ResourceInUse.RecordUserId, until its task stops", async () => {
      const user = pushUser();
      const { TaskId } = await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 7, PushUserId: user, PushUserSig: "s" });
      const busy = await sdkError(c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 8, PushUserId: user, PushUserSig: "s" }));
      assert.equal(busy.code, "ResourceInUse.RecordUserId");
      assert.equal(
        (
          await sdkError(
            c.StartWhiteboardPush({
              SdkAppId: app.appId,
              RoomId: 9,
              PushUserId: pushUser(),
              PushUserSig: "s",
              Backup: { PushUserId: user, PushUserSig: "s" },
            }),
          )
        ).code,
        "ResourceInUse.RecordUserId",
      );
      await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
      await c.StartWhiteboardPush({ SdkAppId: app.appId, RoomId: 8, PushUserId: user, PushUserSig: "s" });
    });

    test("the app's concurrency limit is LimitExceeded.TaskConcurrency", async () => {
      const limited = await tiwApp(server);
      await server.admin("POST", `/tiw/apps/${limited.appId}/push-settings`, { maxConcurrentPushes: 2 });
      const go = () => c.StartWhiteboardPush({ SdkAppId: limited.appId, RoomId: 1, PushUserId: pushUser(), PushUserSig: "s" });
      const first = await go();
      await go();
      assert.equal((await sdkError(go())).code, "LimitExceeded.TaskConcurrency");
      // A main task with a backup is two tasks.
      await c.StopWhiteboardPush({ SdkAppId: limited.appId, TaskId: first.TaskId! });
      assert.equal(
        (
          await sdkError(
            c.StartWhiteboardPush({
              SdkAppId: limited.appId,
              RoomId: 1,
              PushUserId: pushUser(),
              PushUserSig: "s",
              Backup: { PushUserId: pushUser(), PushUserSig: "s" },
            }),
          )
        ).code,
        "LimitExceeded.TaskConcurrency",
      );
      await go();
    });

    test("Backup: a second task in the room; AutoManageBackup stops it with its main task", async () => {
      const managed = await start({ Backup: { PushUserId: pushUser(), PushUserSig: "s" }, AutoManageBackup: true });
      const backupId = (JSON.parse(managed.Backup!) as { TaskId: string }).TaskId;
      assert.match(backupId, /^[a-z0-9]{20}$/);
      const main = await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: managed.TaskId! });
      assert.deepEqual(JSON.parse(main.Backup!), {
        TaskId: backupId,
        Status: "PREPARED",
        FinishReason: "",
        PushUserId: (await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: backupId })).PushUserId,
        PushStartTime: 0,
        PushStopTime: 0,
        ExceptionCnt: 0,
        IMSyncTime: 0,
      });
      const stopped = await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: managed.TaskId! });
      assert.deepEqual(JSON.parse(stopped.Backup!), { TaskId: backupId });
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: backupId })).Status, "STOPPED");

      const unmanaged = await start({ Backup: { PushUserId: pushUser(), PushUserSig: "s" } });
      const unmanagedBackup = (JSON.parse(unmanaged.Backup!) as { TaskId: string }).TaskId;
      assert.equal((await c.StopWhiteboardPush({ SdkAppId: app.appId, TaskId: unmanaged.TaskId! })).Backup, "");
      assert.equal((await c.DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: unmanagedBackup })).Status, "PREPARED");
    });

    test('callback settings: Set, SetKey, Describe; "" deletes; only http(s) URLs', async () => {
      const own = await tiwApp(server);
      assert.deepEqual(await c.DescribeWhiteboardPushCallback({ SdkAppId: own.appId }).then(({ RequestId, ...r }) => r), {
        Callback: "",
        CallbackKey: "",
      });
      await c.SetWhiteboardPushCallback({ SdkAppId: own.appId, Callback: "https://example.com/tiw?x=1" });
      await c.SetWhiteboardPushCallbackKey({ SdkAppId: own.appId, CallbackKey: "k".repeat(64) });
      assert.deepEqual(await c.DescribeWhiteboardPushCallback({ SdkAppId: own.appId }).then(({ RequestId, ...r }) => r), {
        Callback: "https://example.com/tiw?x=1",
        CallbackKey: "k".repeat(64),
      });
      for (const bad of ["ftp://example.com", "example.com/cb", "http://", "javascript:alert(1)"]) {
        assert.equal(
          (await sdkError(c.SetWhiteboardPushCallback({ SdkAppId: own.appId, Callback: bad }))).code,
          "InvalidParameter.CallbackAddressFormatError",
          bad,
        );
      }
      assert.equal(
        (await sdkError(c.SetWhiteboardPushCallbackKey({ SdkAppId: own.appId, CallbackKey: "k".repeat(65) }))).code,
        "InvalidParameterValue",
      );
      assert.equal(
        (await sdkError(c.SetWhiteboardPushCallback({ SdkAppId: own.appId, Callback: 5 as never }))).code,
        "InvalidParameter.BodyParameterTypeUnmatched",
      );
      await c.SetWhiteboardPushCallback({ SdkAppId: own.appId, Callback: "" });
      assert.deepEqual(await c.DescribeWhiteboardPushCallback({ SdkAppId: own.appId }).then(({ RequestId, ...r }) => r), {
        Callback: "",
        CallbackKey: "k".repeat(64),
      });
      await c.SetWhiteboardPushCallbackKey({ SdkAppId: own.appId, CallbackKey: "" });
      assert.equal((await c.DescribeWhiteboardPushCallback({ SdkAppId: own.appId })).CallbackKey, "");
    });

    test("the other signatures and GET reach the same actions", async () => {
      const { TaskId } = await start();
      for (const o of [{ signMethod: "HmacSHA256" as const }, { signMethod: "HmacSHA1" as const }, { reqMethod: "GET" as const }]) {
        const d = await tiwClient(server, o).DescribeWhiteboardPush({ SdkAppId: app.appId, TaskId: TaskId! });
        assert.equal(d.TaskId, TaskId);
      }
    });
  });
}
