// An app's tasks: whiteboard pushes (TIW) and voice recordings (GME), each with its state
// journey and exceptions, from the products' own task rows.
//
// What a journey can show is what the rows keep: a push's creation (PREPARED), its first
// frame (PUSHING), a stop asked for and its confirmation (STOPPED, with the finish reason),
// the count of exceptions and the last error; a recording's task state and, per stream, the
// RecordInfo status ladder up to where it stands (2 → 10 → … → 14). The times of the
// intermediate GME statuses and of each push exception are not stored, so not shown.
import { recentTasks, type RecordTask } from "../products/gme/task-store.ts";
import { streamsOf } from "../products/gme/stream-store.ts";
import { recentPushes } from "../products/tiw/push-store.ts";
import type { PushTask } from "../products/tiw/push-task.ts";
import type { App } from "../tenancy/accounts.ts";
import type { ConsoleContext } from "./context.ts";
import { html, utc, type Html } from "./html.ts";
import { page } from "./layout.ts";
import type { Viewer } from "./session.ts";

export const TASKS_SHOWN = 50;

const STREAM_STEPS: [number, string][] = [
  [2, "recording"],
  [10, "waiting for transcode"],
  [11, "transcoding"],
  [12, "uploading"],
  [13, "uploaded"],
  [14, "user notified"],
];

const step = (done: boolean, label: Html | string) => html`<span class="step${done ? " done" : ""}">${label}</span>`;
const arrow = html`<span class="arrow">→</span>`;

function pushJourney(t: PushTask): Html {
  const stopped = t.status === "STOPPED";
  return html`<div class="journey" data-task="${t.taskId}">
${step(true, html`PREPARED <span class="muted">${utc(t.createdAt)}</span>`)}${arrow}
${step(t.pushStartTime !== null, html`PUSHING <span class="muted">${utc(t.pushStartTime)}</span>`)}${arrow}
${t.stopReason && !stopped ? html`${step(true, html`stop requested (${t.stopReason})`)}${arrow}` : ""}
${step(stopped, html`STOPPED <span class="muted">${utc(t.pushStopTime)}</span>${t.finishReason ? html` <span class="pill ${t.finishReason}">${t.finishReason}</span>` : ""}`)}
</div>`;
}

function pushRows(list: PushTask[]): Html {
  return html`<table id="pushes"><thead><tr><th>TaskId</th><th>RoomId</th><th>Push user</th><th>Journey</th><th>Exceptions</th><th>Last error</th></tr></thead><tbody>${list.map(
    (
      t,
    ) => html`<tr><td>${t.taskId}${t.backupOf ? html`<br><span class="muted">backup of ${t.backupOf}</span>` : ""}</td><td>${t.roomId}</td><td>${t.pushUserId}</td>
<td>${pushJourney(t)}</td><td>${t.exceptionCnt}</td><td>${t.errorCode ? `${t.errorCode}: ${t.errorMessage ?? ""}` : "—"}</td></tr>`,
  )}</tbody></table>`;
}

async function recordingRows(ctx: ConsoleContext, app: App, list: RecordTask[]): Promise<Html> {
  const streams = await Promise.all(list.map((t) => streamsOf(ctx.db, app.appId, t.taskId)));
  return html`<table id="recordings"><thead><tr><th>TaskId</th><th>Room</th><th>Mode</th><th>Task</th><th>Recorder losses</th><th>Streams (RecordInfo status)</th></tr></thead><tbody>${list.map(
    (t, i) => html`<tr><td>${t.taskId}</td><td>${t.roomId}</td><td>${t.recordMode}</td>
<td><div class="journey">${step(true, html`recording <span class="muted">${utc(t.createdAt)}</span>`)}${arrow}${step(
      t.state !== "recording",
      html`stopped <span class="muted">${utc(t.stoppedAt)}</span>${t.stopReason ? ` (${t.stopReason})` : ""}`,
    )}${arrow}${step(t.state === "done" || t.state === "lost", html`<span class="pill ${t.state}">${t.state === "lost" ? "lost" : "done"}</span>`)}</div></td>
<td>${t.recorderLosses}</td>
<td>${streams[i]!.length === 0 ? html`<span class="muted">none yet</span>` : ""}${streams[i]!.map(
      (
        s,
      ) => html`<div class="journey" data-stream="${s.userId}"><b>${s.userId === "0" ? "mix (0)" : s.userId}</b> <span class="muted">from ${utc(s.beginAt)}</span>
${STREAM_STEPS.map(([n, label], k) => html`${k > 0 ? arrow : ""}${step(s.status >= n, `${n} ${label}`)}`)}</div>`,
    )}</td></tr>`,
  )}</tbody></table>`;
}

export async function tasksPage(ctx: ConsoleContext, viewer: Viewer, app: App): Promise<string> {
  const tiw = app.products.includes("tiw");
  const gme = app.products.includes("gme");
  const [pushes, recordings] = await Promise.all([
    tiw ? recentPushes(ctx.db, app.appId, TASKS_SHOWN) : Promise.resolve([]),
    gme ? recentTasks(ctx.db, app.appId, TASKS_SHOWN) : Promise.resolve([]),
  ]);
  return page({
    title: `Tasks · ${app.name || app.appId}`,
    viewer,
    body: html`<h1>Tasks · ${app.name || app.appId} <span class="muted">(${app.appId})</span></h1>
${tiw ? html`<h2>Whiteboard pushes <span class="muted">(the latest ${TASKS_SHOWN})</span></h2>${pushes.length === 0 ? html`<p class="muted">No pushes.</p>` : html`<div class="scroll">${pushRows(pushes)}</div>`}` : ""}
${gme ? html`<h2>Voice recordings <span class="muted">(the latest ${TASKS_SHOWN})</span></h2>${recordings.length === 0 ? html`<p class="muted">No recordings.</p>` : html`<div class="scroll">${await recordingRows(ctx, app, recordings)}</div>`}` : ""}`,
  });
}
