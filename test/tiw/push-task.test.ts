// Unit tests of the push task's pure domain (push-task.ts) and the simulator's UserSig check.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  autoStopDueAt,
  backupSummary,
  describe as describePush,
  failedBeforeStart,
  failureMessage,
  startedEventData,
  stoppedEventData,
  trtcRoomOf,
  type PushTask,
} from "../../src/products/tiw/push-task.ts";
import { makeUserSig, userSigProblem } from "../../src/products/tiw/user-sig.ts";

const base: PushTask = {
  appId: "1400000001",
  taskId: "g42lfmu5uc3lpoqrqvvb",
  roomId: 880528,
  groupId: "880528",
  pushUserId: "tic_push_user_880528_test1",
  trtcRoom: "880528",
  backupOf: null,
  backupTaskId: null,
  autoManageBackup: false,
  autoStopTimeoutS: 1800,
  status: "PREPARED",
  stopReason: null,
  finishReason: null,
  pushStartTime: null,
  pushStopTime: null,
  imSyncTime: 0,
  exceptionCnt: 0,
  errorCode: null,
  errorMessage: null,
  lastActivity: 1_610_591_000_000,
  createdAt: 1_610_591_000_000,
};

test("describe renders seconds, '' for absent strings, and no reason before the stop", () => {
  const stopped: PushTask = {
    ...base,
    status: "STOPPED",
    finishReason: "USER_CALL",
    pushStartTime: 1_610_591_726_999,
    pushStopTime: 1_610_591_759_001,
  };
  assert.deepEqual(describePush(stopped, null), {
    FinishReason: "USER_CALL",
    TaskId: "g42lfmu5uc3lpoqrqvvb",
    Status: "STOPPED",
    RoomId: 880528,
    GroupId: "880528",
    PushUserId: "tic_push_user_880528_test1",
    PushStartTime: 1610591726,
    PushStopTime: 1610591759,
    ExceptionCnt: 0,
    IMSyncTime: 0,
    Backup: "",
  });
  // A stop asked for but not confirmed is not a finish.
  assert.equal(describePush({ ...base, status: "PUSHING", stopReason: "USER_CALL" }, null).FinishReason, "");
  const backup = { ...base, taskId: "bbbbbbbbbbbbbbbbbbbb", backupOf: base.taskId };
  assert.equal(describePush(base, backup).Backup, backupSummary(backup));
  assert.equal(JSON.parse(backupSummary(backup)).TaskId, "bbbbbbbbbbbbbbbbbbbb");
});

test("failedBeforeStart: only an EXCEPTION stop that never had a first frame", () => {
  assert.equal(failedBeforeStart({ ...base, status: "STOPPED", finishReason: "EXCEPTION" }), true);
  assert.equal(failedBeforeStart({ ...base, status: "STOPPED", finishReason: "EXCEPTION", pushStartTime: 1 }), false);
  assert.equal(failedBeforeStart({ ...base, status: "STOPPED", finishReason: "USER_CALL" }), false);
  assert.equal(failedBeforeStart(base), false);
});

test("failureMessage is the cloud's `code: X, msg: Y\\n`", () => {
  assert.equal(failureMessage("40006", "boom"), "code: 40006, msg: boom\n");
});

test("callback event data: Started, Stopped, and the error of a failed push", () => {
  const pushing = { ...base, status: "PUSHING" as const, pushStartTime: 1_610_545_438_000 };
  assert.deepEqual(startedEventData(pushing), {
    TaskId: base.taskId,
    RoomId: 880528,
    PushUserId: base.pushUserId,
    PushStartTime: 1610545438,
  });
  const ok = stoppedEventData({
    ...pushing,
    status: "STOPPED",
    finishReason: "AUTO",
    pushStopTime: 1_610_545_500_000,
    errorCode: "1",
    errorMessage: "old",
  });
  assert.equal(ok.Error, undefined); // an earlier exception is no error of an AUTO stop
  assert.equal(ok.FinishReason, "AUTO");
  const failed = stoppedEventData({
    ...pushing,
    status: "STOPPED",
    finishReason: "EXCEPTION",
    pushStopTime: 1,
    errorCode: "40006",
    errorMessage: "x",
  });
  assert.deepEqual(failed.Error, { Code: "FailedOperation.Record", Message: "code: 40006, msg: x\n" });
});

test("trtcRoomOf: TRTCRoomIdStr, then TRTCRoomId, then RoomId", () => {
  assert.equal(trtcRoomOf({ RoomId: 1 }), "1");
  assert.equal(trtcRoomOf({ RoomId: 1, TRTCRoomId: 2 }), "2");
  assert.equal(trtcRoomOf({ RoomId: 1, TRTCRoomId: 2, TRTCRoomIdStr: "s" }), "s");
  assert.equal(trtcRoomOf({ RoomId: 1, TRTCRoomIdStr: "" }), "1");
});

test("autoStopDueAt: AutoStopTimeout after the last activity", () => {
  assert.equal(autoStopDueAt({ ...base, autoStopTimeoutS: 300, lastActivity: 1000 }), 301_000);
});

test("UserSig: a well-formed sig passes; wrong user, app, expiry or format are named", () => {
  const now = 1_700_000_000;
  const sig = makeUserSig(1400000001, "u1", "key", 3600, now);
  assert.equal(userSigProblem(sig, 1400000001, "u1", now + 10), null);
  assert.equal(userSigProblem(sig, 1400000001, "u2", now), "issued for another user");
  assert.equal(userSigProblem(sig, 1400000002, "u1", now), "issued for another SdkAppId");
  assert.equal(userSigProblem(sig, 1400000001, "u1", now + 3601), "expired");
  assert.equal(userSigProblem("not-a-sig", 1400000001, "u1", now), "malformed");
  assert.match(sig, /^[A-Za-z0-9*_-]+$/);
});
