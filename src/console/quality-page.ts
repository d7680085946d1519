// Call quality of one user in one room of an RTC app: a chart per Huawei metric (name, id,
// unit), each of the user's streams as a series, uplink ("up": the user's own samples,
// peer "0") and downlink (samples the user received: peer = the user). The data are
// ListRtcClientQosDetails' points (the same store query), embedded in the page as JSON and
// drawn by uPlot: drag to zoom, double-click for the whole query window.
//
// The window: `from`/`to` (Unix seconds) as given, else the last hour of domain time; at
// most 24 hours, as the Huawei API allows.
import { METRIC_IDS, METRIC_LABELS, type MetricId } from "../products/rtc/metrics.ts";
import { qosStoreOf, type StreamSamples } from "../products/rtc/qos-store.ts";
import { MAX_WINDOW_MS } from "../products/rtc/query-window.ts";
import type { App } from "../tenancy/accounts.ts";
import type { ConsoleContext } from "./context.ts";
import { Html, html, jsonForScript, query, utc } from "./html.ts";
import { BASE, page } from "./layout.ts";
import type { Viewer } from "./session.ts";

export interface QualityQuery {
  room: string;
  user: string;
  /** Unix ms. */
  from: number;
  to: number;
}

const ID = /^[\x21-\x7e]{1,128}$/;

export function qualityQuery(q: Record<string, string | undefined>, now: number): QualityQuery {
  const secs = (s: string | undefined) => (s && /^\d{1,12}$/.test(s) ? Number(s) * 1000 : null);
  let to = secs(q.to) ?? now;
  let from = secs(q.from) ?? to - 3600_000;
  if (from > to) [from, to] = [to, from];
  if (to - from > MAX_WINDOW_MS) from = to - MAX_WINDOW_MS;
  return { room: q.room && ID.test(q.room) ? q.room : "", user: q.user && ID.test(q.user) ? q.user : "", from, to };
}

function seriesLabel(s: StreamSamples, user: string): string {
  const stream = s.key.streamId ? ` · ${s.key.streamId}` : "";
  if (s.key.uid === user && s.key.peerId === "0") return `up${stream}`;
  if (s.key.peerId === user) return `down from ${s.key.uid}${stream}`;
  return `${s.key.uid} → ${s.key.peerId}${stream}`;
}

const NUMBERS = /^[0-9eE+\-.,]*$/;

/**
 * A comma-separated series text from the store as a JSON array, empty fields as null. The
 * text is spliced in as it is when it holds only number characters (what PostgreSQL writes
 * for a float4); parsing a day of points into numbers and writing them again costs more
 * than the query.
 */
export function jsonArray(csv: string): string {
  if (NUMBERS.test(csv)) return `[${csv === "" ? "null" : (csv.startsWith(",") ? "null" : "") + csv.replace(/,(?=,|$)/g, ",null")}]`;
  return JSON.stringify(csv.split(",").map((x) => (x === "" ? null : Number(x))));
}

export interface QualityData {
  /** Per metric with points: its id, name and unit. */
  metrics: { mid: MetricId; name: string; unit: string; series: { label: string; points: number }[] }[];
  /**
   * The charts' data as the JSON the page embeds: {from, to, streams: [{label, t}],
   * metrics: [{mid, name, unit, series: [{s, v}]}]}, times in seconds shared by a stream's
   * series (s: the stream's index), values aligned with them, null where a sample lacks one.
   */
  json: string;
}

/** The charts' data for a user in a room and window (ListRtcClientQosDetails' points). */
export async function qualityData(ctx: ConsoleContext, app: App, q: QualityQuery): Promise<QualityData> {
  const store = qosStoreOf(ctx.db);
  const base = { appId: app.appId, roomId: q.room, from: q.from, to: q.to, timeField: "ctime" as const, mids: METRIC_IDS };
  const [own, received] = await Promise.all([
    store.samples(ctx.db, { ...base, uid: q.user }, null, METRIC_IDS),
    store.samples(ctx.db, { ...base, peerId: q.user }, null, METRIC_IDS),
  ]);
  const streams = [...own, ...received.filter((r) => r.key.uid !== q.user)];
  const labels = streams.map((s) => seriesLabel(s, q.user));
  const metrics: QualityData["metrics"] = [];
  const parts: string[] = [];
  for (const mid of METRIC_IDS) {
    const series: QualityData["metrics"][number]["series"] = [];
    const json: string[] = [];
    streams.forEach((s, i) => {
      if (!s.points[mid]) return;
      series.push({ label: labels[i]!, points: s.points[mid]! });
      json.push(`{"s":${i},"v":${jsonArray(s.values[mid]!)}}`);
    });
    if (series.length === 0) continue;
    const meta = { mid, ...METRIC_LABELS[mid] };
    metrics.push({ ...meta, series });
    parts.push(`${jsonForScript(meta).text.slice(0, -1)},"series":[${json.join(",")}]}`);
  }
  const streamJson = streams.map((s, i) => `{"label":${jsonForScript(labels[i]).text},"t":${jsonArray(s.times)}}`);
  const json = `{"from":${Math.floor(q.from / 1000)},"to":${Math.ceil(q.to / 1000)},"streams":[${streamJson.join(",")}],"metrics":[${parts.join(",")}]}`;
  return { metrics, json };
}

export async function qualityPage(ctx: ConsoleContext, viewer: Viewer, app: App, q: QualityQuery): Promise<string> {
  const base = `${BASE}/apps/${encodeURIComponent(app.appId)}/quality`;
  const form = html`<form class="filters" method="get" action="${base}">
<label>room_id<input name="room" value="${q.room}" required></label>
<label>user_id<input name="user" value="${q.user}"></label>
<label>from (Unix s)<input name="from" value="${Math.floor(q.from / 1000)}" inputmode="numeric"></label>
<label>to (Unix s)<input name="to" value="${Math.ceil(q.to / 1000)}" inputmode="numeric"></label>
<button type="submit">Show</button></form>`;
  let body = html``;
  if (q.room && !q.user) {
    const users = await qosStoreOf(ctx.db).series(ctx.db, {
      appId: app.appId,
      roomId: q.room,
      from: q.from,
      to: q.to,
      timeField: "ctime",
      mids: METRIC_IDS,
    });
    const uids = [...new Set(users.map((s) => s.key.uid))];
    body = html`<h2>Users with samples</h2>${
      uids.length === 0
        ? html`<p class="muted">No samples in this room and window.</p>`
        : html`<ul>${uids.map((u) => html`<li><a href="${base}${query({ room: q.room, user: u, from: Math.floor(q.from / 1000), to: Math.ceil(q.to / 1000) })}">${u}</a></li>`)}</ul>`
    }`;
  } else if (q.room && q.user) {
    const data = await qualityData(ctx, app, q);
    body = html`<p class="muted">${utc(q.from)} – ${utc(q.to)} · drag across a chart to zoom, double-click to see the whole window.</p>
${data.metrics.length === 0 ? html`<p class="muted" id="no-samples">No samples of this user in this room and window.</p>` : ""}
<div class="charts">${data.metrics.map(
      (m) =>
        html`<div class="chart"><h3>${m.name} <span class="muted">${m.mid} · ${m.unit}</span></h3><div id="chart-${m.mid}" data-mid="${m.mid}"></div></div>`,
    )}</div>
<script id="qos-data" type="application/json">${new Html(data.json)}</script>`;
  }
  return page({
    title: `Call quality · ${app.name || app.appId}`,
    viewer,
    charts: true,
    body: html`<h1>Call quality · ${app.name || app.appId} <span class="muted">(${app.appId})</span>${q.user ? html` · ${q.user}` : ""}</h1>${form}${body}`,
  });
}
