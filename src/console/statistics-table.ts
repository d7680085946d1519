// The DescribeRoomStatistics table and its CSV export, from the statistics the action
// itself answers (the stored summary and member records, under the action's own
// conditions): nothing is computed again here, so the table is the action's answer.
import type { Db } from "../storage/db.ts";
import type { Room } from "../products/lcic/rooms/rooms-store.ts";
import { RoomStatus } from "../products/lcic/rooms/rooms-store.ts";
import type { MemberRecord } from "../products/lcic/statistics/statistics.ts";
import { memberRecords, statsSummary, type StatsSummary } from "../products/lcic/statistics/stats-store.ts";
import { html, type Html } from "./html.ts";

/** The MemberRecord fields, in the SDK model's order: the table's and the CSV's columns. */
export const MEMBER_COLUMNS: readonly (keyof MemberRecord)[] = [
  "UserId",
  "UserName",
  "PresentTime",
  "Camera",
  "Mic",
  "Silence",
  "AnswerQuestions",
  "HandUps",
  "FirstJoinTimestamp",
  "LastQuitTimestamp",
  "Rewords",
  "IPAddress",
  "Location",
  "Device",
  "PerMemberMicCount",
  "PerMemberMessageCount",
  "Role",
  "GroupId",
  "SubGroupId",
  "Stage",
  "CurrentState",
];

export const SUMMARY_FIELDS = [
  "PeakMemberNumber",
  "MemberNumber",
  "Total",
  "MessageCount",
  "MicCount",
  "RealStartTime",
  "RealEndTime",
] as const;

/** A value as a cell shows it: null as empty, a list (SubGroupId) joined with ";". */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.join(";");
  return String(v);
}

export type Statistics = { kind: "ready"; summary: StatsSummary; records: MemberRecord[] } | { kind: "unavailable"; why: string };

/** What DescribeRoomStatistics would answer now: the statistics, or why it would refuse. */
export async function readStatistics(db: Db, room: Room): Promise<Statistics> {
  if (room.status === RoomStatus.Expired)
    return { kind: "unavailable", why: "The room expired without being held (FailedOperation.ClassExpired)." };
  if (room.status !== RoomStatus.Ended)
    return { kind: "unavailable", why: "Statistics come when the room ends (FailedOperation.RoomNotEnd)." };
  const s = await statsSummary(db, room);
  if (!s || s.version < room.streamVersion) {
    return { kind: "unavailable", why: "The statistics are being computed (ResourceUnavailable.RoomStatistics): reload in a moment." };
  }
  const records = (await memberRecords(db, room, 0, s.summary.Total)) as MemberRecord[];
  return { kind: "ready", summary: s.summary, records };
}

export function statisticsTable(s: Extract<Statistics, { kind: "ready" }>): Html {
  return html`<div class="summary" id="stats-summary">${SUMMARY_FIELDS.map(
    (f) => html`<div data-field="${f}"><b>${cellText(s.summary[f])}</b><span class="muted">${f}</span></div>`,
  )}</div>
<div class="scroll"><table id="stats-table"><thead><tr>${MEMBER_COLUMNS.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${s.records.map((r) => html`<tr>${MEMBER_COLUMNS.map((c) => html`<td>${cellText(r[c])}</td>`)}</tr>`)}</tbody></table></div>`;
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * RFC 4180 CSV of the member table (CRLF line ends, a header row). Values are written as the
 * table shows them, not defused for spreadsheets (a name starting with "=" stays as it is):
 * the export must equal the table.
 */
export function statisticsCsv(records: readonly MemberRecord[]): string {
  const lines = [MEMBER_COLUMNS.join(","), ...records.map((r) => MEMBER_COLUMNS.map((c) => csvField(cellText(r[c]))).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
