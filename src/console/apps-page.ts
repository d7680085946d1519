// The apps the viewer may see, each with links to what its products offer in the console.
import type { App } from "../tenancy/accounts.ts";
import type { ConsoleContext } from "./context.ts";
import { html, utc } from "./html.ts";
import { BASE, page } from "./layout.ts";
import { visibleApps } from "./scope.ts";
import type { Viewer } from "./session.ts";

function links(app: App) {
  const base = `${BASE}/apps/${encodeURIComponent(app.appId)}`;
  const p = new Set(app.products);
  return html`${p.has("lcic") ? html`<a href="${base}/rooms">Rooms</a> ` : ""}${
    p.has("tiw") || p.has("gme") ? html`<a href="${base}/tasks">Tasks</a> ` : ""
  }${p.has("trro") ? html`<a href="${base}/fleet">Fleet</a> ` : ""}${p.has("rtc") ? html`<a href="${base}/quality">Call quality</a>` : ""}`;
}

export async function appsPage(ctx: ConsoleContext, viewer: Viewer): Promise<string> {
  const apps = (await visibleApps(ctx.tenancy, viewer)).filter((a) => !a.products.every((p) => p === "diagnostics"));
  return page({
    title: "Apps",
    viewer,
    body: html`<h1>Apps</h1>
${apps.length === 0 ? html`<p class="muted">No apps yet: <code>roomledger apps create --product lcic</code>.</p>` : ""}
<div class="cards">${apps.map(
      (a) => html`<div class="card" data-app="${a.appId}"><b>${a.name || "(unnamed)"}</b><br>
<span class="muted">${a.appId} · ${a.products.join(", ")} · created ${utc(a.createdAt)}</span>
${viewer.kind === "admin" ? html`<br><span class="muted">account ${a.accountId}</span>` : ""}
<p>${links(a)}</p></div>`,
    )}</div>`,
  });
}
