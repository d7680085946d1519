// The one claim loop of every simulated worker (GME, LCIC and TRRO recorders, TIW pusher,
// recorder, snapshot and video workers, TRRO publisher): claim a task of the kind, run it,
// repeat (or once), until aborted. Each product's simulator only says what running one
// task means.
//
// It does not give up: its AgentClient sends every request again while the server restarts
// (retry.ts), and should the server stay away longer than the client's patience, the loop
// logs the failure and claims again later. A failure inside one task abandons that task
// (its lease runs out, as a crashed worker's would), never the worker.
import { AgentClient, AgentProtocolError, type ClaimedTask } from "./client.ts";
import { DEFAULT_RETRY, fetchWithRetry } from "./retry.ts";
import type { WorkerSimulatorOptions } from "./simulator.ts";

/** Waiting between claims when the queue is empty. */
const IDLE_POLL_MS = 250;
/** Waiting after a claim that failed for good (the server away past the client's patience). */
const CLAIM_FAILED_MS = 1000;

/** Thrown by a simulator to "crash": it abandons the task without a word. */
export class SimulatedCrash extends Error {}

/** What a heartbeat told the worker: go on, stop (asked to), lost (lease gone), aborted (shutting down). */
export type Beat = "stop" | "lost" | "go-on" | "aborted";

/** Resolves after ms, or at once when the signal aborts (never rejects). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** A claimed task as a simulator runs it. */
export interface HeldTask<S> {
  client: AgentClient;
  task: ClaimedTask<S>;
  leaseMs: number;
  /** Sends one report; false once the lease is lost (409). */
  report(type: string, data?: Record<string, unknown>): Promise<boolean>;
  /** A heartbeat, read as a Beat. */
  beat(): Promise<Beat>;
  /** A GET of a product's task view, sent again like the agent requests. */
  get(url: string, headers: Record<string, string>): Promise<Response>;
}

export interface ClaimLoopOptions {
  /** How log lines name a task (default: its id). */
  label?: (taskId: string) => string;
}

function held<S>(client: AgentClient, task: ClaimedTask<S>, leaseMs: number, o: WorkerSimulatorOptions): HeldTask<S> {
  return {
    client,
    task,
    leaseMs,
    async report(type, data = {}) {
      try {
        await client.report(task.taskId, [{ type, data }]);
        return true;
      } catch (err) {
        if (err instanceof AgentProtocolError && err.status === 409) return false;
        throw err;
      }
    },
    async beat() {
      if (o.signal.aborted) return "aborted";
      try {
        return (await client.heartbeat(task.taskId)).stop ? "stop" : "go-on";
      } catch (err) {
        if (err instanceof AgentProtocolError && err.status === 409) return "lost";
        throw err;
      }
    },
    get: (url, headers) => fetchWithRetry(url, { headers }, DEFAULT_RETRY, o.signal),
  };
}

export async function claimLoop<S>(
  kind: string,
  o: WorkerSimulatorOptions,
  run: (h: HeldTask<S>) => Promise<void>,
  opts: ClaimLoopOptions = {},
): Promise<void> {
  const label = opts.label ?? ((id: string) => id);
  const client = new AgentClient({
    baseUrl: o.baseUrl,
    credential: o.credential,
    workerId: o.workerId,
    signal: o.signal,
    onRetry: (why, ms) => o.log(`server unreachable (${why}): trying again in ${ms} ms`),
  });
  while (!o.signal.aborted) {
    let claimed: { task: ClaimedTask<S> | null; leaseMs: number };
    try {
      claimed = await client.claim<S>(kind);
    } catch (err) {
      if (o.signal.aborted) return;
      o.log(`claim failed: ${(err as Error).message}`);
      await sleep(CLAIM_FAILED_MS, o.signal);
      continue;
    }
    if (!claimed.task) {
      await sleep(IDLE_POLL_MS, o.signal);
      continue;
    }
    const name = label(claimed.task.taskId);
    try {
      await run(held(client, claimed.task, claimed.leaseMs, o));
    } catch (err) {
      if (o.signal.aborted) return;
      if (err instanceof SimulatedCrash) o.log(`${name}: simulated crash, abandoning it`);
      else o.log(`${name}: ${(err as Error).message}`);
    }
    if (o.once) return;
  }
}
