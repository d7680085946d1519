// The attendance timeline as inline SVG, drawn on the server (no script needed): one row per
// member, a block per presence (events/presence.ts), and marks for mic on, camera on, hand
// up and kick at the moments the stream has them.
import type { PresenceBlock } from "../products/lcic/events/presence.ts";
import { html, utc, type Html } from "./html.ts";

export interface TimelineMark {
  userId: string;
  at: number;
  kind: "mic" | "cam" | "hand" | "kick";
}

export interface TimelineInput {
  /** Rows in display order. */
  members: { userId: string; name: string; role: number }[];
  blocks: readonly PresenceBlock[];
  marks: readonly TimelineMark[];
  from: number;
  to: number;
  /** Where a member's name links to (their call quality), if anywhere. */
  hrefOf?: (userId: string) => string;
}

const LABEL_W = 170;
const PLOT_W = 900;
const ROW_H = 18;
const AXIS_H = 22;
const ROLE = ["student", "teacher", "assistant", "supervisor"];
const MARK_LABEL = { mic: "mic on", cam: "camera on", hand: "hand up", kick: "kicked" } as const;

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const mmss = (ms: number): string => `${Math.floor(ms / 60000)} min ${Math.floor((ms % 60000) / 1000)} s`;

export function timelineSvg(t: TimelineInput): Html {
  const span = Math.max(1, t.to - t.from);
  const x = (ms: number): number => LABEL_W + Math.round(((Math.min(Math.max(ms, t.from), t.to) - t.from) / span) * PLOT_W * 10) / 10;
  const row = new Map(t.members.map((m, i) => [m.userId, i]));
  const height = AXIS_H + t.members.length * ROW_H + 4;
  // Grid lines every 5 minutes (10 beyond two hours), labelled in UTC.
  const step = span > 2 * 3600_000 ? 600_000 : 300_000;
  const ticks: number[] = [];
  for (let s = Math.ceil(t.from / step) * step; s <= t.to; s += step) ticks.push(s);
  return html`<svg class="timeline" role="img" aria-label="attendance timeline" width="${LABEL_W + PLOT_W + 10}" height="${height}" viewBox="0 0 ${LABEL_W + PLOT_W + 10} ${height}">
${ticks.map((s) => html`<line class="grid" x1="${x(s)}" x2="${x(s)}" y1="${AXIS_H - 4}" y2="${height}"/><text x="${x(s) - 14}" y="14">${hhmm(s)}</text>`)}
${t.members.map((m, i) => {
  const label = html`<text x="4" y="${AXIS_H + i * ROW_H + 13}"><title>${m.userId} (${ROLE[m.role] ?? m.role})</title>${m.name.length > 22 ? `${m.name.slice(0, 21)}…` : m.name}${m.role === 1 ? " ★" : m.role === 2 ? " ☆" : ""}</text>`;
  return t.hrefOf ? html`<a href="${t.hrefOf(m.userId)}">${label}</a>` : label;
})}
${t.blocks.map((b) => {
  const i = row.get(b.userId);
  if (i === undefined) return "";
  return html`<rect class="block" data-user="${b.userId}" x="${x(b.from)}" y="${AXIS_H + i * ROW_H + 3}" width="${Math.max(1, x(b.to) - x(b.from))}" height="${ROW_H - 6}" rx="2"><title>${utc(b.from)} – ${utc(b.to)} (${mmss(b.to - b.from)}, ${b.end})</title></rect>`;
})}
${t.marks.map((mk) => {
  const i = row.get(mk.userId);
  if (i === undefined) return "";
  const cx = x(mk.at);
  const cy = AXIS_H + i * ROW_H + ROW_H / 2;
  const shape =
    mk.kind === "kick"
      ? html`<path d="M${cx - 4} ${cy - 4}L${cx + 4} ${cy + 4}M${cx + 4} ${cy - 4}L${cx - 4} ${cy + 4}" stroke="#c92a2a" stroke-width="2"/>`
      : mk.kind === "hand"
        ? html`<path class="mark-hand" d="M${cx} ${cy - 5}L${cx + 4} ${cy + 3}L${cx - 4} ${cy + 3}Z"/>`
        : html`<circle class="mark-${mk.kind}" cx="${cx}" cy="${cy + (mk.kind === "mic" ? -3 : 3)}" r="2.5"/>`;
  return html`<g data-mark="${mk.kind}">${shape}<title>${MARK_LABEL[mk.kind]} at ${utc(mk.at)}</title></g>`;
})}
</svg>
<p class="legend muted"><span>▭ present</span><span><svg width="8" height="8"><circle class="mark-mic" cx="4" cy="4" r="3"/></svg> mic on</span><span><svg width="8" height="8"><circle class="mark-cam" cx="4" cy="4" r="3"/></svg> camera on</span><span><svg width="10" height="10"><path class="mark-hand" d="M5 0L10 9L0 9Z"/></svg> hand up</span><span class="kick">✕ kicked</span><span>★ teacher ☆ assistant</span></p>`;
}
