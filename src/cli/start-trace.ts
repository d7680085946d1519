// The start's timeline (issue 15's cold start), for `serve` at debug level: once the first
// request is answered, one log line with Node's own start-up milestones, every start mark
// (storage/start-marks.ts: the time since the process started, the CPU time of the thread
// that set it and of the whole process) and each thread's CPU time then. `npm run bench --
// cold-start` reads it (bench/cold-start-timeline.ts). The first request and answer come
// from node:http's diagnostics channels, which see every listener's requests.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { readdirSync, readFileSync } from "node:fs";
import { startMark, type StartMarkDetail } from "../storage/start-marks.ts";

export interface StartTrace {
  /** When the process started (epoch ms): the marks' origin. */
  timeOrigin: number;
  /** Node's own milestones (performance.nodeTiming), ms since timeOrigin. */
  node: Record<string, number>;
  marks: ({ name: string; ms: number } & StartMarkDetail)[];
  /** CPU time of each of the process's threads at the first answer, by thread name (Linux's /proc), ms. */
  threads: { name: string; cpuMs: number }[];
}

/** Calls `report` once, with the trace, when the first request has been answered. */
export function traceToFirstAnswer(report: (trace: StartTrace) => void): void {
  let requested = false;
  const onRequest = () => {
    if (requested) return;
    requested = true;
    startMark("first request in");
  };
  const onAnswer = () => {
    startMark("first answer out");
    unsubscribe("http.server.request.start", onRequest);
    unsubscribe("http.server.response.finish", onAnswer);
    report(startTrace());
  };
  subscribe("http.server.request.start", onRequest);
  subscribe("http.server.response.finish", onAnswer);
}

function startTrace(): StartTrace {
  const t = performance.nodeTiming;
  return {
    timeOrigin: performance.timeOrigin,
    node: { v8Start: t.v8Start, environment: t.environment, bootstrapComplete: t.bootstrapComplete, loopStart: t.loopStart },
    marks: performance
      .getEntriesByType("mark")
      .map((m) => ({ name: m.name, ms: m.startTime, ...((m as { detail?: unknown }).detail as StartMarkDetail) }))
      .sort((a, b) => a.ms - b.ms),
    threads: threadTimes(),
  };
}

/** Each thread's name and CPU time (utime + stime, in clock ticks of 10 ms), or none off Linux. */
function threadTimes(): { name: string; cpuMs: number }[] {
  try {
    return readdirSync("/proc/self/task").map((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return { name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), cpuMs: (Number(fields[11]) + Number(fields[12])) * 10 };
    });
  } catch {
    return [];
  }
}
