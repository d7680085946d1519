// Keeps one of process.nextTick's queue entries alive for the life of the process (issue 22).
//
// Node 24's nextTick() builds each entry as an object literal with symbol keys (async id,
// trigger id, context frame) and V8 records, per key, the one hidden class ("map") the entry
// had there. Those maps are held weakly: a full GC at a moment when no entry is alive (the
// idle start-up, PGlite's heap growing) frees them, the next entry gets new maps, and V8's
// runtime for literal keys then marks the keys megamorphic, for good: every nextTick defines
// its fields through the runtime (~0.3 µs each, ~3 µs per Echo; `perf` showed it as
// Runtime_DefineKeyedOwnPropertyInLiteral). One entry kept alive keeps its maps (and, through
// their back pointers, those of the keys before) alive, so the recorded maps stay the ones in
// use. It has to run before the first such GC: it is imported first.
import { executionAsyncResource } from "node:async_hooks";

// Held here for the life of the process.
const kept: object[] = [];
process.nextTick(() => {
  // Inside a tick callback the current resource is the tick's own entry (task_queues.js).
  kept.push(executionAsyncResource());
});
