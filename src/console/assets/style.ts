// The console's stylesheet, served at /console/assets/console.css (a module, not a file, so
// that the package's build carries it like any source; no CDN, no web fonts).
export const CONSOLE_CSS = `
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7f9; --accent: #1f6feb; --ok: #2f9e44; --warn: #e8590c; --bad: #c92a2a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1.2em; align-items: center; padding: .6em 1.2em; background: #fff; border-bottom: 1px solid var(--line); }
header .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header nav a { margin-right: 1em; color: var(--accent); text-decoration: none; }
header form { margin-left: auto; }
main { padding: 1em 1.2em 2em; max-width: 1400px; }
h1 { font-size: 1.35em; margin: .2em 0 .6em; }
h2 { font-size: 1.1em; margin: 1.4em 0 .5em; }
a { color: var(--accent); }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); font-variant-numeric: tabular-nums; }
th, td { padding: .3em .6em; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { background: #eef1f5; font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
.muted { color: var(--muted); }
.pill { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: .85em; background: #e7ebf0; }
.pill.live { background: #d3f9d8; color: #1b5e20; }
.pill.ended { background: #e7ebf0; }
.pill.bad, .pill.EXCEPTION, .pill.lost { background: #ffe3e3; color: var(--bad); }
.pill.good { background: #d3f9d8; }
.pill.normal { background: #fff3bf; }
form.filters { display: flex; gap: .8em; align-items: end; margin-bottom: 1em; flex-wrap: wrap; }
form.filters label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted); }
input, select, button { font: inherit; padding: .25em .5em; }
.signin { max-width: 26em; margin: 4em auto; background: #fff; border: 1px solid var(--line); padding: 1.5em; border-radius: 6px; }
.signin label { display: block; margin: .6em 0 .2em; }
.signin input { width: 100%; }
.signin fieldset { border: 1px solid var(--line); margin: 1em 0; }
.error { color: var(--bad); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); gap: .8em; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8em 1em; }
.summary { display: flex; gap: 1.5em; flex-wrap: wrap; margin: .5em 0 1em; }
.summary div b { display: block; font-size: 1.3em; }
svg.timeline { background: #fff; border: 1px solid var(--line); }
svg.timeline text { font-size: 11px; fill: var(--fg); }
svg.timeline .block { fill: #74c0fc; }
svg.timeline .grid { stroke: #edf0f4; }
.legend span { margin-right: 1em; }
.legend .kick { color: var(--bad); }
.mark-mic { fill: var(--ok); } .mark-cam { fill: #7048e8; } .mark-hand { fill: #f59f00; } .mark-kick { fill: var(--bad); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1em; }
.chart { background: #fff; border: 1px solid var(--line); padding: .5em; }
.chart h3 { margin: 0 0 .3em; font-size: .95em; }
.journey { display: flex; gap: .3em; align-items: center; flex-wrap: wrap; }
.journey .step { padding: .1em .5em; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.journey .step.done { background: #e7f5ff; border-color: #a5d8ff; }
.journey .arrow { color: var(--muted); }
footer { padding: 1em 1.2em; color: var(--muted); font-size: .85em; }
`;
