// The demo's printed report: what a user of each cloud would look at.
import type { DemoResult } from "./results.ts";
import { table } from "./table.ts";

const mmss = (s: number): string => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
const time = (s: number): string => (s ? new Date(s * 1000).toISOString().slice(11, 19) : "-");
const STATE = ["never came", "online", "offline", "kicked", "kicked for good", "dropped"];
const RECORD_STATUS: Record<number, string> = {
  0: "not started",
  1: "recording",
  2: "paused",
  10: "to transcode",
  11: "transcoding",
  12: "to upload",
  13: "uploading",
  14: "done",
};
/** Teacher, assistants, supervisors, then students. */
const rank = (role: number): number => (role === 0 ? 9 : role);
const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

export function formatReport(r: DemoResult): string {
  const s = r.statistics as Record<string, any>;
  const out: string[] = [];
  out.push(
    `LCIC DescribeRoomStatistics (room ${r.ids.roomId}, SdkAppId ${r.ids.sdkAppId})`,
    `  members ${s.MemberNumber} of ${s.Total} expected, peak ${s.PeakMemberNumber} at once, ${s.MessageCount} chat messages, ${s.MicCount} students on the mic`,
    "",
    table(
      ["UserName", "Role", "Present", "Camera", "MicOn", "HandUps", "Answers", "Rewards", "Messages", "Device", "State"],
      // The API orders records by UserId; a teacher reads the class list: staff first, then by name.
      [...r.statistics.MemberRecords]
        .sort((a, b) => rank(a.Role) - rank(b.Role) || String(a.UserName).localeCompare(String(b.UserName)))
        .map((m) => [
          m.UserName,
          ["student", "teacher", "assistant", "supervisor"][m.Role] ?? m.Role,
          mmss(m.PresentTime),
          m.Camera,
          m.PerMemberMicCount,
          m.HandUps,
          m.AnswerQuestions,
          m.Rewords,
          m.PerMemberMessageCount,
          m.Device,
          STATE[m.CurrentState] ?? m.CurrentState,
        ]),
    ),
    "",
    `TIW DescribeWhiteboardPush: the journey of push task ${r.ids.pushTaskId} (class time)`,
    table(
      ["at", "Status", "ExceptionCnt", "FinishReason", "PushStartTime", "PushStopTime"],
      r.push.map((p) => [p.at, p.Status, p.ExceptionCnt, p.FinishReason || "-", time(p.PushStartTime), time(p.PushStopTime)]),
    ),
    "",
    `GME DescribeRecordInfo (task ${r.ids.gmeTaskId}, RecordMode ${r.recording.RecordMode})`,
    table(
      ["UserId", "FileName", "RecordBeginTime", "RecordStatus"],
      r.recording.RecordInfo.map((i) => [
        i.UserId === "0" ? "0 (mix)" : i.UserId,
        i.FileName,
        time(i.RecordBeginTime),
        `${i.RecordStatus} ${RECORD_STATUS[i.RecordStatus] ?? ""}`.trim(),
      ]),
    ),
    "",
    `TRRO DescribeDeviceSessionList (project ${r.ids.projectId}, device ${r.ids.deviceId}): ${r.sessions.Total} sessions`,
    table(
      ["SessionId", "FieldDeviceId", "RemoteDeviceId", "StartTime", "EndTime", "Quality"],
      r.sessions.DeviceSessionList.map((x) => [
        x.SessionId,
        x.FieldDeviceId,
        x.RemoteDeviceId,
        time(x.StartTime),
        time(x.EndTime),
        x.Quality,
      ]),
    ),
    "",
    `Huawei ListRtcClientQosDetails: ${r.qos.userName}'s uplink (${r.ids.qosUserId}), one sample every 2 s`,
    table(
      ["metric", "points", "min", "median", "max"],
      r.qos.series.map((q) => [q.mid, q.points, fmt(q.min), fmt(q.median), fmt(q.max)]),
    ),
    "",
    `Reported: ${r.counts.classEvents} class events, ${r.counts.qosSamples} QoS samples, ${r.counts.deviceReports} device reports, in ${r.counts.requests} ingest requests.`,
  );
  return out.join("\n");
}
