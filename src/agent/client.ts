// A small typed client for worker authors: claim a task, heartbeat, report. It speaks the
// agent protocol (src/protocols/agent/routes.ts) with the app's ingest key.

export interface ClaimedTask<Spec = Record<string, unknown>> {
  taskId: string;
  kind: string;
  attempt: number;
  spec: Spec;
  stop: boolean;
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

export class AgentClient {
  readonly baseUrl: string;
  readonly ingestKey: string;
  readonly workerId: string;

  constructor(opts: { baseUrl: string; ingestKey: string; workerId: string }) {
    this.baseUrl = opts.baseUrl.replace(/\/$/, "");
    this.ingestKey = opts.ingestKey;
    this.workerId = opts.workerId;
  }

  private async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${this.baseUrl}/agent/v1${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${this.ingestKey}` },
      body: JSON.stringify({ ...body, workerId: this.workerId }),
    });
    const json = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } } & T;
    if (!res.ok) throw new AgentProtocolError(res.status, json.error?.code ?? String(res.status), json.error?.message ?? res.statusText);
    return json;
  }

  /** The oldest waiting task of this kind, now leased to this worker; null if none. */
  async claim<Spec = Record<string, unknown>>(kind: string): Promise<{ task: ClaimedTask<Spec> | null; leaseMs: number }> {
    return this.post("/claim", { kind });
  }

  /** Extends the lease; `stop: true` means the task was asked to stop. Throws 409 LeaseLost. */
  async heartbeat(taskId: string): Promise<{ stop: boolean; leaseMs: number }> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/heartbeat`, {});
  }

  /**
   * Extends the leases of several tasks at once (a worker running many). `stop` lists the
   * tasks asked to stop; `lost` those this worker no longer holds.
   */
  async heartbeatMany(taskIds: string[]): Promise<{ tasks: { taskId: string; stop: boolean }[]; lost: string[]; leaseMs: number }> {
    return this.post("/heartbeats", { taskIds });
  }

  /** Reports, applied all or nothing and in order. Throws 409 LeaseLost, 400 InvalidBatch. */
  async report(taskId: string, reports: Report[]): Promise<{ applied: number; stop: boolean }> {
    return this.post(`/tasks/${encodeURIComponent(taskId)}/reports`, { reports });
  }

  /**
   * Reports for several tasks this worker holds, in one request and one transaction: all or
   * nothing. `stop` lists the tasks asked to stop. Throws 409 LeaseLost when any one of the
   * leases is not held, 400 InvalidBatch naming `tasks[i].reports[j]`.
   */
  async reportMany(tasks: { taskId: string; reports: Report[] }[]): Promise<{ applied: number; stop: string[] }> {
    return this.post("/reports", { tasks });
  }
}
