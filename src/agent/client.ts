// A small typed client for worker authors: claim a task, heartbeat, report. It speaks the
// agent protocol (src/protocols/agent/routes.ts) with a worker credential of the app
// (`roomledger worker-credentials create`), and keeps the lease token of each task it
// claimed, sending it with every heartbeat and report for that task. Every request is sent
// again on a network error, 502/503/504 and 429 (retry.ts), so a worker keeps its task across
// a server restart; a 4xx refusal is thrown at once.
import { DEFAULT_RETRY, fetchWithRetry, type RetryPolicy } from "./retry.ts";

export interface ClaimedTask<Spec = Record<string, unknown>> {
  taskId: string;
  kind: string;
  attempt: number;
  spec: Spec;
  stop: boolean;
  /** The proof of this claim's lease; the client sends it for you (leaseToken() reads it). */
  leaseToken: string;
}

export interface Report {
  type: string;
  time?: number;
  data?: Record<string, unknown>;
}

export class AgentProtocolError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Lease tokens a client keeps at most (far more than tasks one worker runs at once). */
const MAX_LEASES = 10_000;

export class AgentClient {
  readonly baseUrl: string;
  /** The worker credential (rlwk_...): not the app's ingest key, which the agent protocol refuses. */
  readonly credential: string;
  readonly workerId: string;
  /** The lease token of each task this client claimed, by task id. */
  private readonly leases = new Map<string, string>();

  constructor(opts: { baseUrl: string; credential: string; workerId: string } & RetryOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, "");
    this.credential = opts.credential;
    this.workerId = opts.workerId;
    this.transport = transportOf(opts);
  }

  /** How requests are sent again (retry.ts); see RetryOptions. */
  private readonly transport: ReturnType<typeof transportOf>;

  /** The lease token this client holds for a task (undefined if it never claimed it). */
  leaseToken(taskId: string): string | undefined {
    return this.leases.get(taskId);
  }

  /**
   * Keeps the lease token of a claimed task (null: nothing claimed). At most MAX_LEASES are
   * kept, the oldest claim dropped first, so a worker running for months does not grow.
   */
  private keepLease<T extends { task: ClaimedTask<any> | null }>(answer: T): T {
    if (!answer.task) return answer;
    this.leases.delete(answer.task.taskId);
    this.leases.set(answer.task.taskId, answer.task.leaseToken);
    if (this.leases.size > MAX_LEASES) this.leases.delete(this.leases.keys().next().value!);
    return answer;
  }

  /** The tasks with their lease tokens, as the batch routes take them. */
  private withLeases<T extends { taskId: string }>(tasks: T[]): (T & { leaseToken?: string })[] {
    return tasks.map((t) => ({ ...t, leaseToken: this.leases.get(t.taskId) }));
  }

  /** Forgets the lease tokens of tasks this worker no longer holds (finished, lost). */
  forgetLease(...taskIds: string[]): void {
    for (const id of taskIds) this.leases.delete(id);
  }

  private async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    const res = await this.send(`${this.baseUrl}/agent/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.credential}` },
      body: JSON.stringify({ ...body, workerId: this.workerId }),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } } & T;
    if (!res.ok) throw new AgentProtocolError(res.status, json.error?.code ?? String(res.status), json.error?.message ?? res.statusText);
    return json;
  }

  /** One request, sent again while the server is restarting or overloaded (retry.ts). */
  private send(url: string, init: RequestInit): Promise<Response> {
    const { retry, signal, onRetry } = this.transport;
    return fetchWithRetry(url, init, retry, signal, onRetry);
  }

  /** The oldest waiting task of this kind, now leased to this worker; null if none. */
  async claim<Spec = Record<string, unknown>>(kind: string): Promise<{ task: ClaimedTask<Spec> | null; leaseMs: number }> {
    return this.keepLease(await this.post<{ task: ClaimedTask<Spec> | null; leaseMs: number }>("/claim", { kind }));
  }

  /** Extends the lease; `stop: true` means the task was asked to stop. Throws 409 LeaseLost. */
  async heartbeat(taskId: string): Promise<{ stop: boolean; leaseMs: number }> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/heartbeat`, { leaseToken: this.leases.get(taskId) });
  }

  /**
   * Extends the leases of several tasks at once (a worker running many). `stop` lists the
   * tasks asked to stop; `lost` those this worker no longer holds.
   */
  async heartbeatMany(taskIds: string[]): Promise<{ tasks: { taskId: string; stop: boolean }[]; lost: string[]; leaseMs: number }> {
    return this.post("/heartbeats", { tasks: this.withLeases(taskIds.map((taskId) => ({ taskId }))) });
  }

  /** Reports, applied all or nothing and in order. Throws 409 LeaseLost, 400 InvalidBatch. */
  async report(taskId: string, reports: Report[]): Promise<{ applied: number; stop: boolean }> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/reports`, { leaseToken: this.leases.get(taskId), reports });
  }

  /**
   * Reports for several tasks this worker holds, in one request and one transaction: all or
   * nothing. `stop` lists the tasks asked to stop. Throws 409 LeaseLost when any one of the
   * leases is not held, 400 InvalidBatch naming `tasks[i].reports[j]`.
   */
  async reportMany(tasks: { taskId: string; reports: Report[] }[]): Promise<{ applied: number; stop: string[] }> {
    return this.post("/reports", { tasks: this.withLeases(tasks) });
  }
}

/** Options of AgentClient's retries (retry.ts). */
export interface RetryOptions {
  /** Overrides of the backoff and give-up times (default: DEFAULT_RETRY). */
  retry?: Partial<RetryPolicy>;
  /** Aborts a request and its retries (a worker shutting down). */
  signal?: AbortSignal;
  /** Told before each wait: why (an error code or HTTP status) and for how long. */
  onRetry?: (why: string, waitMs: number) => void;
}

function transportOf(o: RetryOptions): { retry: RetryPolicy; signal?: AbortSignal; onRetry?: RetryOptions["onRetry"] } {
  return { retry: { ...DEFAULT_RETRY, ...o.retry }, signal: o.signal, onRetry: o.onRetry };
}
