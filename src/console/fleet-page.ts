// A TRRO project's fleet: its devices with their status, and the sessions of the window
// (the last 7 days of domain time), newest first, with the quality DescribeDeviceSessionList
// answers; `?device=` keeps one device's sessions (either side).
import { listDevices } from "../products/trro/device-store.ts";
import { projectRow } from "../products/trro/project-store.ts";
import { sessionInfo } from "../products/trro/session-info.ts";
import { sessionPage } from "../products/trro/session-page.ts";
import type { App } from "../tenancy/accounts.ts";
import type { ConsoleContext } from "./context.ts";
import { html, query, utc } from "./html.ts";
import { BASE, page } from "./layout.ts";
import type { Viewer } from "./session.ts";

export const DEVICES_SHOWN = 200;
export const SESSIONS_SHOWN = 100;
const WINDOW_MS = 7 * 86_400_000;
const DEVICE = /^[\x21-\x7e]{1,64}$/;
// The project's default presence window when it has no row yet (trro_projects' default).
const DEFAULT_PRESENCE_MS = 30_000;

export async function fleetPage(ctx: ConsoleContext, viewer: Viewer, app: App, deviceParam: string | undefined): Promise<string> {
  const now = ctx.clock.now();
  const device = deviceParam && DEVICE.test(deviceParam) ? deviceParam : undefined;
  const project = await projectRow(ctx.db, app.appId);
  const [devices, sessions] = await Promise.all([
    listDevices(ctx.db, app.appId, {}, now, project?.presence_ms ?? DEFAULT_PRESENCE_MS, DEVICES_SHOWN, 0),
    sessionPage(ctx.db, app.appId, { fromMs: now - WINDOW_MS, toMs: now + 1 }, device, 1, SESSIONS_SHOWN),
  ]);
  const base = `${BASE}/apps/${encodeURIComponent(app.appId)}/fleet`;
  const counts = { ready: 0, connected: 0, offline: 0 } as Record<string, number>;
  for (const d of devices.rows) counts[d.status] = (counts[d.status] ?? 0) + 1;
  return page({
    title: `Fleet · ${project?.name || app.name || app.appId}`,
    viewer,
    body: html`<h1>Fleet · ${project?.name || app.name || app.appId} <span class="muted">(ProjectId ${app.appId})</span></h1>
<div class="summary"><div><b>${devices.total}</b><span class="muted">devices</span></div><div><b>${counts.connected ?? 0}</b><span class="muted">connected</span></div><div><b>${counts.ready ?? 0}</b><span class="muted">ready</span></div><div><b>${counts.offline ?? 0}</b><span class="muted">offline</span></div><div><b>${sessions.total}</b><span class="muted">sessions, 7 days</span></div></div>
<h2>Sessions ${device ? html`of ${device} <a href="${base}">(all devices)</a>` : ""}<span class="muted">(the latest ${SESSIONS_SHOWN})</span></h2>
<div class="scroll"><table id="sessions"><thead><tr><th>SessionId</th><th>Field device</th><th>Remote device</th><th>Start</th><th>End</th><th>Resolution</th><th>Quality</th></tr></thead><tbody>${sessions.rows
      .map(sessionInfo)
      .map(
        (
          s,
        ) => html`<tr><td>${s.SessionId}</td><td><a href="${base}${query({ device: s.FieldDeviceId })}">${s.FieldDeviceId}</a></td><td><a href="${base}${query({ device: s.RemoteDeviceId })}">${s.RemoteDeviceId}</a></td>
<td>${utc(s.StartTime * 1000)}</td><td>${s.EndTime === 0 ? html`<span class="pill live">open</span>` : utc(s.EndTime * 1000)}</td><td>${s.Resolution}</td><td><span class="pill ${s.Quality}">${s.Quality}</span></td></tr>`,
      )}${sessions.rows.length === 0 ? html`<tr><td colspan="7" class="muted">No sessions in the window.</td></tr>` : ""}</tbody></table></div>
<h2>Devices</h2>
<div class="scroll"><table id="devices"><thead><tr><th>DeviceId</th><th>Name</th><th>Type</th><th>Status</th><th>Last report</th></tr></thead><tbody>${devices.rows.map(
      (
        d,
      ) => html`<tr><td><a href="${base}${query({ device: d.device_id })}">${d.device_id}</a></td><td>${d.name}</td><td>${d.device_type}</td>
<td><span class="pill ${d.status === "offline" ? "" : "good"}">${d.status}</span></td><td>${utc(d.last_report_time === null ? null : Number(d.last_report_time))}</td></tr>`,
    )}</tbody></table></div>`,
  });
}
