// A class (an LCIC room): its attendance timeline, the DescribeRoomStatistics table with its
// CSV export, the chat messages, and links to each member's call quality (the account's RTC
// apps, room_id = the RoomId, as a class app reporting both would use).
import { eventsOfKinds } from "../products/lcic/events/stream-store.ts";
import { presenceBlocks } from "../products/lcic/events/presence.ts";
import { Kind } from "../products/lcic/events/stream.ts";
import { messagesBefore, type MessageItem } from "../products/lcic/messages/messages-store.ts";
import { RoomStatus, type Room } from "../products/lcic/rooms/rooms-store.ts";
import { userNames } from "../products/lcic/users/users-store.ts";
import type { App } from "../tenancy/accounts.ts";
import type { ConsoleContext } from "./context.ts";
import { html, query, utc, type Html } from "./html.ts";
import { BASE, page, statusNames } from "./layout.ts";
import type { Viewer } from "./session.ts";
import { readStatistics, statisticsTable } from "./statistics-table.ts";
import { timelineSvg, type TimelineMark } from "./timeline.ts";

export const MESSAGES_SHOWN = 500;

const TIMELINE_KINDS = [
  Kind.RoomStarted,
  Kind.RoomEnded,
  Kind.MemberJoined,
  Kind.MemberQuit,
  Kind.HeartbeatLost,
  Kind.MemberKicked,
  Kind.MicOn,
  Kind.CameraOn,
  Kind.HandRaised,
];

function messageText(body: MessageItem[]): string {
  return body
    .map((m) =>
      m.TextMessage !== undefined
        ? m.TextMessage
        : m.ImageMessage !== undefined
          ? `[image] ${m.ImageMessage}`
          : m.CustomMessage
            ? `[custom] ${m.CustomMessage.Desc || m.CustomMessage.Data}`
            : `[type ${m.MessageType}]`,
    )
    .join(" ");
}

export async function classPage(ctx: ConsoleContext, viewer: Viewer, app: App, room: Room): Promise<string> {
  const now = ctx.clock.now();
  const [events, stats, messages, rtcApps] = await Promise.all([
    eventsOfKinds(ctx.db, app.appId, room.roomId, TIMELINE_KINDS),
    readStatistics(ctx.db, room),
    messagesBefore(ctx.db, app.appId, room.roomId, { beforeSeq: null, from: null, limit: MESSAGES_SHOWN }),
    ctx.tenancy.appsOf(room.accountId, "rtc"),
  ]);
  const c = room.config;
  const blocks = presenceBlocks(events, now);
  const marks: TimelineMark[] = [];
  for (const e of events) {
    if (e.kind === Kind.MicOn) marks.push({ userId: e.userId, at: e.ctime, kind: "mic" });
    else if (e.kind === Kind.CameraOn) marks.push({ userId: e.userId, at: e.ctime, kind: "cam" });
    else if (e.kind === Kind.HandRaised) marks.push({ userId: e.userId, at: e.ctime, kind: "hand" });
    else if (e.kind === Kind.MemberKicked || (e.kind === Kind.MemberQuit && (e.reason === 1 || e.reason === 2)))
      marks.push({ userId: e.userId, at: e.ctime, kind: "kick" });
  }
  // Members: the statistics' records when there are (every expected attendee too), else who the stream has.
  const roles = new Map<string, number>();
  for (const e of events) if (e.kind === Kind.MemberJoined && e.role !== null && e.role !== undefined) roles.set(e.userId, e.role);
  const configured = (id: string) => (id === c.TeacherId ? 1 : (c.Assistants ?? []).includes(id) ? 2 : 0);
  let members: { userId: string; name: string; role: number }[];
  if (stats.kind === "ready") members = stats.records.map((r) => ({ userId: r.UserId, name: r.UserName, role: r.Role }));
  else {
    const ids = [...new Set(events.filter((e) => e.userId !== "").map((e) => e.userId))];
    const names = await userNames(ctx.db, app.appId, ids);
    members = ids.map((id) => ({ userId: id, name: names.get(id) ?? id, role: roles.get(id) ?? configured(id) }));
  }
  const rank = (r: number) => (r === 1 ? 0 : r === 2 ? 1 : r === 0 ? 2 : 3);
  members.sort((a, b) => rank(a.role) - rank(b.role) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nameOf = new Map(members.map((m) => [m.userId, m.name]));

  const start = room.realStart !== null ? Number(room.realStart) : c.StartTime * 1000;
  const firstEvent = events[0]?.ctime ?? start;
  const from = Math.min(start, firstEvent);
  const to = room.realEnd !== null ? Number(room.realEnd) : room.status === RoomStatus.Started ? now : c.EndTime * 1000;
  const base = `${BASE}/apps/${encodeURIComponent(app.appId)}/rooms/${room.roomId}`;
  const qualityLinks: Html = html`${rtcApps.map(
    (a) =>
      html`<a href="${BASE}/apps/${encodeURIComponent(a.appId)}/quality${query({ room: room.roomId, from: Math.floor(from / 1000), to: Math.ceil(to / 1000) })}">${a.name || a.appId}</a> `,
  )}`;

  const rtc = rtcApps[0];
  const window = { room: room.roomId, from: Math.floor(from / 1000), to: Math.ceil(to / 1000) };
  const hrefOf = rtc
    ? (userId: string) => `${BASE}/apps/${encodeURIComponent(rtc.appId)}/quality${query({ ...window, user: userId })}`
    : undefined;
  return page({
    title: c.Name,
    viewer,
    body: html`<p class="muted"><a href="${BASE}/apps/${encodeURIComponent(app.appId)}/rooms">Rooms of ${app.name || app.appId}</a></p>
<h1>${c.Name} <span class="muted">RoomId ${room.roomId}</span> <span class="pill ${room.status === 1 ? "live" : "ended"}">${statusNames[room.status]}</span></h1>
<p>Scheduled ${utc(c.StartTime * 1000)} – ${utc(c.EndTime * 1000)} · held ${utc(room.realStart === null ? null : Number(room.realStart))} – ${utc(room.realEnd === null ? null : Number(room.realEnd))}${
      rtcApps.length > 0 ? html` · call quality: ${qualityLinks}` : ""
    }</p>
<h2>Attendance</h2>
${members.length === 0 ? html`<p class="muted">Nobody has joined.</p>` : html`<div class="scroll">${timelineSvg({ members, blocks, marks, from, to: Math.max(to, from + 60_000), hrefOf })}</div>`}
<h2>DescribeRoomStatistics</h2>
${
  stats.kind === "ready"
    ? html`<p><a id="csv" href="${base}/statistics.csv" download>Export CSV</a></p>${statisticsTable(stats)}`
    : html`<p class="muted" id="stats-unavailable">${stats.why}</p>`
}
<h2>Messages <span class="muted">(${messages.length}${messages.length === MESSAGES_SHOWN ? ", the latest" : ""})</span></h2>
${
  messages.length === 0
    ? html`<p class="muted">No messages.</p>`
    : html`<div class="scroll"><table id="messages"><thead><tr><th>Seq</th><th>Time</th><th>From</th><th>Message</th></tr></thead><tbody>${[
        ...messages,
      ]
        .reverse()
        .map(
          (m) =>
            html`<tr><td>${m.seq}</td><td>${utc(Number(m.ctime))}</td><td>${nameOf.get(m.from_account) ?? m.from_account}</td><td>${messageText(m.body)}</td></tr>`,
        )}</tbody></table></div>`
}`,
  });
}
