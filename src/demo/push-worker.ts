// A SIMULATED whiteboard push worker, scripted for the demo: unlike the random failure rate
// of `roomledger worker simulate --kind tiw-push`, it reports exactly the journey the
// scenario asks for (first frame, one exception, a confirmed stop), so that the printed
// ExceptionCnt is known in advance. It speaks the real agent protocol (AgentClient) and
// keeps its lease with heartbeats while the class plays.
import { AgentClient } from "../agent/client.ts";

const KIND = "tiw-push";

export class ScriptedPushWorker {
  private readonly client: AgentClient;
  private taskId: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopAsked = false;
  private failure: Error | null = null;

  /** `credential`: a worker credential of the class app for tiw-push. */
  constructor(baseUrl: string, credential: string) {
    this.client = new AgentClient({ baseUrl, credential, workerId: "demo-push-worker (simulated)" });
  }

  /** Claims the push task (waiting for it to be offered), reports its first frame, keeps the lease. */
  async start(expectedTaskId: string, imSyncTime: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { task, leaseMs } = await this.client.claim(KIND);
      if (task) {
        if (task.taskId !== expectedTaskId) throw new Error(`claimed ${task.taskId}, expected the demo's push ${expectedTaskId}`);
        this.taskId = task.taskId;
        await this.client.report(task.taskId, [{ type: "started", data: { imSyncTime } }]);
        this.timer = setInterval(() => this.beat(), Math.max(100, Math.floor(leaseMs / 3)));
        return;
      }
      if (Date.now() > deadline) throw new Error("the push task was never offered to a worker");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private beat(): void {
    if (!this.taskId) return;
    this.client.heartbeat(this.taskId).then(
      (hb) => {
        if (hb.stop) this.stopAsked = true;
      },
      (err) => (this.failure = err as Error),
    );
  }

  /** Something went wrong in the push; it goes on (ExceptionCnt + 1). */
  async exception(code: number, message: string): Promise<void> {
    await this.client.report(this.taskId!, [{ type: "exception", data: { code, message } }]);
  }

  /** After StopWhiteboardPush: learns the stop from a heartbeat and confirms it. */
  async confirmStop(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!this.stopAsked) {
      if (this.failure) throw this.failure;
      const hb = await this.client.heartbeat(this.taskId!);
      if (hb.stop) break;
      if (Date.now() > deadline) throw new Error("the push was never asked to stop");
      await new Promise((r) => setTimeout(r, 100));
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.client.report(this.taskId!, [{ type: "stopped", data: {} }]);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
