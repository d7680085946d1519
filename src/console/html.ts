// HTML for the console's pages: every interpolated value is escaped unless it is already
// markup made here (a `Html` value). A page is written with the `html` tagged template, so
// forgetting to escape is not possible by accident: a plain string is always escaped.

/** Markup made by this module (trusted): the only values `html` does not escape. */
export class Html {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(p: Part): string {
  if (p === null || p === undefined || p === false) return "";
  if (p instanceof Html) return p.text;
  if (Array.isArray(p)) return (p as readonly Part[]).map(render).join("");
  return escapeHtml(String(p));
}

/** The tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested `html` values are kept. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>`, `&` and the two line
 * separators are written as \u escapes, so no value can close the element or open a comment.
 */
export function jsonForScript(value: unknown): Html {
  return new Html(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

/** A query string from pairs (values encoded), "" when all are empty. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Unix ms → "2026-11-30 00:12:05" (UTC; the console says so in its footer). */
export function utc(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms <= 0) return "—";
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}
