// The checks of `roomledger demo`: its JSON output asserted against what the scenario's
// script says, computed here on its own (expected.ts), then the printed report of the same
// results. The demo is played once for the whole suite, in test/console/console-browser.test.ts
// (`demo --url --json` into the test server the console is then checked over): a play costs
// about a minute of the shared machine's CPU. Its embedded server is played by the README test
// (`demo --data --keep`) and, with a temporary data directory, by `simulate` (simulate.test.ts).
import assert from "node:assert/strict";
import type { CliRun } from "../support/server.ts";
import { demoScenario, QOS_EVERY_S, SHOWN_DEVICE, SHOWN_QOS_USER } from "../../src/demo/scenario.ts";
import { formatReport } from "../../src/demo/report.ts";
import type { DemoResult } from "../../src/demo/results.ts";
import { expectedQos, expectedRecorded, expectedSessions, expectedStatistics } from "./expected.ts";

/** The demo's run (`demo --json`, progress not turned off) checked against the script. */
export function checkDemo(run: CliRun): void {
  assert.equal(run.code, 0, run.stderr);
  // The progress indicator went to stderr (not a terminal here: a line per quarter).
  assert.match(run.stderr, /100%/);
  const r = JSON.parse(run.stdout) as DemoResult;
  const { cls, fleet } = demoScenario();
  const userIdOf = new Map(r.statistics.MemberRecords.map((m) => [m.UserName as string, m.UserId as string]));

  // ---- LCIC: DescribeRoomStatistics, member by member. ----
  const want = expectedStatistics(cls, r.ids.startTime);
  const s = r.statistics as Record<string, unknown>;
  assert.deepEqual(
    [s.MemberNumber, s.Total, s.PeakMemberNumber, s.MessageCount, s.MicCount, s.RealStartTime, s.RealEndTime],
    [want.MemberNumber, want.Total, want.PeakMemberNumber, want.MessageCount, want.MicCount, want.RealStartTime, want.RealEndTime],
  );
  assert.equal(r.statistics.MemberRecords.length, cls.members.length);
  for (const w of want.members) {
    const got = r.statistics.MemberRecords.find((m) => m.UserName === w.UserName);
    assert.ok(got, `no record for ${w.UserName}`);
    const picked = Object.fromEntries(Object.keys(w).map((k) => [k, got[k]]));
    assert.deepEqual(picked, w, w.UserName);
  }
  // The interesting cases are there: late joiners, a dropped connection (back and not), a kick.
  const states = want.members.map((m) => m.CurrentState);
  assert.ok(states.includes(3) && states.includes(5));
  assert.ok(
    want.members.some((m) => m.FirstJoinTimestamp > r.ids.startTime + 120),
    "late joiners",
  );

  // ---- TIW: the push's journey, with its one exception and a confirmed stop. ----
  assert.deepEqual(
    r.push.map((p) => [p.Status, p.ExceptionCnt]),
    [
      ["PREPARED", 0],
      ["PUSHING", 0],
      ["PUSHING", 1],
      ["PUSHING", 1],
      ["STOPPED", 1],
    ],
  );
  const last = r.push.at(-1)!;
  assert.equal(last.FinishReason, "USER_CALL");
  assert.ok(last.PushStartTime >= r.ids.startTime && last.PushStopTime >= last.PushStartTime);

  // ---- GME: mode 3 records the mix and everyone who spoke, each walked to 14. ----
  assert.equal(r.recording.RecordMode, 3);
  const recorded = r.recording.RecordInfo.map((i) => i.UserId as string).sort();
  assert.deepEqual(recorded, ["0", ...expectedRecorded(cls).map((n) => userIdOf.get(n)!)].sort());
  for (const i of r.recording.RecordInfo) {
    assert.equal(i.RecordStatus, 14);
    assert.equal(i.FileName, `/${r.ids.bizId}_class-${r.ids.roomId}_${r.ids.gmeTaskId}_${i.UserId}`);
  }

  // ---- TRRO: the shown device's sessions. ----
  const sessions = expectedSessions(fleet, SHOWN_DEVICE, r.ids.projectId, r.ids.startTime);
  assert.equal(r.sessions.Total, sessions.length);
  assert.deepEqual(
    r.sessions.DeviceSessionList.map((x) => ({
      SessionId: x.SessionId,
      FieldDeviceId: x.FieldDeviceId,
      RemoteDeviceId: x.RemoteDeviceId,
      StartTime: x.StartTime,
      EndTime: x.EndTime,
    })),
    sessions.map(({ bad: _bad, ...x }) => x),
  );

  // ---- Huawei QoS: the shown user's series, min / median / max per metric. ----
  const qos = expectedQos(cls, SHOWN_QOS_USER, QOS_EVERY_S);
  assert.equal(r.qos.series.length, qos.length);
  for (const [i, w] of qos.entries()) {
    const got = r.qos.series[i]!;
    assert.equal(got.mid, w.mid);
    assert.equal(got.points, w.points);
    for (const k of ["min", "median", "max"] as const) assert.ok(Math.abs(got[k] - w[k]) < 1e-3, `${w.mid} ${k}: ${got[k]} vs ${w[k]}`);
  }

  // ---- The printed report shows the same numbers. ----
  const text = formatReport(r);
  for (const w of want.members) assert.match(text, new RegExp(`^${w.UserName}\\s`, "m"));
  assert.match(text, new RegExp(`members ${want.MemberNumber} of ${want.Total} expected, peak ${want.PeakMemberNumber} at once`));
  assert.match(text, /STOPPED\s+1\s+USER_CALL/);
  for (const x of sessions) assert.match(text, new RegExp(x.SessionId));
}
