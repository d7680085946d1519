// An LCIC app's rooms: status, scheduled and real times, member count; filtered by time
// and status. Rooms in progress refresh live: the page's script asks for the rows again
// (`?rows=1`, the same rendering) every 5 s while one of them is in progress.
//
// Member count: for a room in progress, the members online now (the live member list's
// rule); for an ended room, DescribeRoomStatistics' MemberNumber once computed; otherwise —.
import { onlineMembers } from "../products/lcic/events/stream-store.ts";
import { roomsPage as listRooms, RoomStatus, type RoomListRow } from "../products/lcic/rooms/rooms-store.ts";
import { statsSummary } from "../products/lcic/statistics/stats-store.ts";
import type { App } from "../tenancy/accounts.ts";
import type { ConsoleContext } from "./context.ts";
import { html, query, utc, type Html } from "./html.ts";
import { BASE, page, statusNames } from "./layout.ts";
import type { Viewer } from "./session.ts";

export const PAGE_SIZE = 50;
const FAR_FUTURE = 253402300799000;

export interface RoomFilter {
  /** UTC dates YYYY-MM-DD, inclusive; "" for no bound. */
  from: string;
  to: string;
  /** "" for any, else a status number. */
  status: string;
  page: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filter from a query string; anything malformed counts as absent (a console, not a wire API). */
export function roomFilter(q: Record<string, string | undefined>): RoomFilter {
  const date = (s: string | undefined) => (s && DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) ? s : "");
  const status = q.status && /^[0-3]$/.test(q.status) ? q.status : "";
  const n = Number(q.page);
  return { from: date(q.from), to: date(q.to), status, page: Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1 };
}

async function memberCount(ctx: ConsoleContext, appId: string, r: RoomListRow): Promise<string> {
  const roomId = Number(r.room_id);
  if (r.status === RoomStatus.Started) return `${(await onlineMembers(ctx.db, appId, roomId)).length} online`;
  if (r.status === RoomStatus.Ended) {
    const s = await statsSummary(ctx.db, { appId, roomId });
    return s ? String(s.summary.MemberNumber) : "computing…";
  }
  return "—";
}

async function rows(ctx: ConsoleContext, app: App, f: RoomFilter): Promise<{ total: number; html: Html }> {
  const window = {
    from: f.from ? Date.parse(`${f.from}T00:00:00Z`) : 0,
    to: f.to ? Date.parse(`${f.to}T00:00:00Z`) + 86_400_000 - 1 : FAR_FUTURE,
    statuses: f.status === "" ? null : [Number(f.status)],
  };
  const { total, rows: list } = await listRooms(ctx.db, app.appId, window, PAGE_SIZE, (f.page - 1) * PAGE_SIZE);
  const counts = await Promise.all(list.map((r) => memberCount(ctx, app.appId, r)));
  const base = `${BASE}/apps/${encodeURIComponent(app.appId)}/rooms`;
  return {
    total,
    html: html`${list.map(
      (r, i) => html`<tr data-room="${r.room_id}" data-status="${r.status}">
<td><a href="${base}/${r.room_id}">${r.room_id}</a></td><td>${r.config.Name}</td>
<td><span class="pill ${r.status === 1 ? "live" : "ended"}">${statusNames[r.status] ?? r.status}</span></td>
<td>${utc(r.config.StartTime * 1000)}</td><td>${utc(r.config.EndTime * 1000)}</td>
<td>${utc(r.real_start === null ? null : Number(r.real_start))}</td><td>${utc(r.real_end === null ? null : Number(r.real_end))}</td>
<td>${counts[i]}</td></tr>`,
    )}${list.length === 0 ? html`<tr><td colspan="8" class="muted">No rooms match.</td></tr>` : ""}`,
  };
}

/** Only the rows (the live refresh). */
export async function roomRows(ctx: ConsoleContext, app: App, f: RoomFilter): Promise<string> {
  return (await rows(ctx, app, f)).html.text;
}

export async function roomsPage(ctx: ConsoleContext, viewer: Viewer, app: App, f: RoomFilter): Promise<string> {
  const r = await rows(ctx, app, f);
  const base = `${BASE}/apps/${encodeURIComponent(app.appId)}/rooms`;
  const params = { from: f.from, to: f.to, status: f.status };
  const pages = Math.max(1, Math.ceil(r.total / PAGE_SIZE));
  return page({
    title: `Rooms of ${app.name || app.appId}`,
    viewer,
    body: html`<h1>Rooms · ${app.name || app.appId} <span class="muted">(${app.appId})</span></h1>
<form class="filters" method="get" action="${base}">
<label>Scheduled from (UTC)<input type="date" name="from" value="${f.from}"></label>
<label>to<input type="date" name="to" value="${f.to}"></label>
<label>Status<select name="status"><option value="">any</option>${[0, 1, 2, 3].map(
      (s) => html`<option value="${s}"${String(s) === f.status ? html` selected` : ""}>${statusNames[s]}</option>`,
    )}</select></label>
<button type="submit">Filter</button></form>
<p class="muted">${r.total} room(s) · page ${f.page} of ${pages}${
      f.page > 1 ? html` · <a href="${base}${query({ ...params, page: f.page - 1 })}">previous</a>` : ""
    }${f.page < pages ? html` · <a href="${base}${query({ ...params, page: f.page + 1 })}">next</a>` : ""} · rooms in progress refresh every 5 s (last: <span id="refreshed">on load</span>)</p>
<div class="scroll"><table><thead><tr><th>RoomId</th><th>Name</th><th>Status</th><th>Starts</th><th>Ends</th><th>Started</th><th>Ended</th><th>Members</th></tr></thead>
<tbody data-live-refresh="5000" data-live-url="${base}${query({ ...params, page: f.page, rows: 1 })}">${r.html}</tbody></table></div>`,
  });
}
