// Marks along a server's start (issue 15's cold start): each a performance mark (Node's
// User Timing, a few µs) with the CPU time of the thread that set it and of the whole process
// at that moment. `serve` at debug level logs them once the first request is answered
// (cli/start-trace.ts); `npm run bench -- cold-start` reads that line for its timeline of one
// start. Here, at the bottom of the layers, so that the storage, the server and the command
// line can all set them. Loads nothing (bin/roomledger.js and the early start's thread use it).

export interface StartMarkDetail {
  /** CPU time (user + system) of the thread that set the mark, ms; null where Node cannot say (before 23.9). */
  threadCpuMs: number | null;
  /** CPU time of the whole process (every thread), ms; null for a mark another thread measured. */
  processCpuMs: number | null;
  /** The thread that set it: "main", or the name of the thread that measured it. */
  thread: string;
}

const ms = (u: { user: number; system: number }) => (u.user + u.system) / 1000;

/** This thread's CPU time so far (ms), or null. */
export function threadCpuMs(): number | null {
  const usage = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage?.();
  return usage ? ms(usage) : null;
}

/** Marks `name` now, on the main thread. */
export function startMark(name: string): void {
  performance.mark(name, {
    detail: { threadCpuMs: threadCpuMs(), processCpuMs: ms(process.cpuUsage()), thread: "main" } satisfies StartMarkDetail,
  });
}

/**
 * Marks `name` at a moment another thread measured: `at` in epoch ms (performance.timeOrigin +
 * performance.now() there), with that thread's CPU time then.
 */
export function threadMark(name: string, thread: string, at: number, cpuMs: number | null): void {
  performance.mark(name, {
    startTime: at - performance.timeOrigin,
    detail: { threadCpuMs: cpuMs, processCpuMs: null, thread } satisfies StartMarkDetail,
  });
}
