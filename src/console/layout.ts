// The frame of every console page: head (the console's own stylesheet and script, uPlot
// only where a page draws charts), the top bar with the viewer and sign-out, the footer.
import { html, type Html } from "./html.ts";
import type { Viewer } from "./session.ts";

export const BASE = "/console";

export interface PageOptions {
  title: string;
  viewer: Viewer | null;
  body: Html;
  /** Load uPlot (the call-quality page only: 51 KB that no other page needs). */
  charts?: boolean;
}

export function page(o: PageOptions): string {
  const who =
    o.viewer === null ? null : o.viewer.kind === "admin" ? "admin (every account)" : `${o.viewer.accountName} · ${o.viewer.secretId}`;
  return `<!doctype html>${
    html`<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · roomledger console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${BASE}/assets/console.css">
${o.charts ? html`<link rel="stylesheet" href="${BASE}/assets/uPlot.min.css"><script src="${BASE}/assets/uPlot.iife.min.js" defer></script>` : ""}
<script src="${BASE}/assets/console.js" defer></script>
</head><body>
<header><a class="brand" href="${BASE}/">roomledger console</a>
${
  who === null
    ? ""
    : html`<nav><a href="${BASE}/apps">Apps</a></nav><span class="muted">${who}</span>
<form method="post" action="${BASE}/sign-out"><button type="submit">Sign out</button></form>`
}
</header>
<main>${o.body}</main>
<footer>Times are UTC, on the server's domain clock. Read-only.</footer>
</body></html>`.text
  }`;
}

export const statusNames: Record<number, string> = { 0: "not started", 1: "in progress", 2: "ended", 3: "expired" };
