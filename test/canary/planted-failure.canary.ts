// The canary: CI runs the real test command (`npm test`, its global setup included) on this
// file alone, and stops if that command exits 0. It proves on every run that a failing test
// fails the build. Its name does not end in .test.ts, so the suite itself never runs it.
import assert from "node:assert/strict";
import { test } from "node:test";

test("planted failure: the test command must exit non-zero on this", () => {
  assert.equal(1 + 1, 3);
});
