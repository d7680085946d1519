// The demo's progress indicator off a terminal: a line per quarter, ending at 100%; nothing at
// all when turned off (--quiet). The real command's progress is checked on the suite's one
// demo play (demo-checks.ts), which keeps it on; this covers the switch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { progressBar } from "../../src/demo/progress.ts";

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = "";
  const stream = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => text };
}

test("progress off a terminal: a line per quarter reached, then 100%", () => {
  const out = capture();
  const bar = progressBar(out.stream, true);
  for (const f of [0, 0.1, 0.3, 0.55, 0.6, 0.95]) bar.update(f, `at ${f}`);
  bar.done();
  assert.equal(out.text(), "  0%  at 0\n 30%  at 0.3\n 55%  at 0.55\n 95%  at 0.95\n100%  done\n");
});

test("progress turned off (--quiet) writes nothing", () => {
  const out = capture();
  const bar = progressBar(out.stream, false);
  for (const f of [0, 0.5, 1]) bar.update(f, "x");
  bar.done();
  assert.equal(out.text(), "");
});
