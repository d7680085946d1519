// Simulated workers: each product may ship one per task kind, plainly named a simulator,
// for tests and the demo (`roomledger worker simulate --kind <kind>`). They speak the real
// agent protocol through AgentClient; only the media work itself is simulated.

export interface WorkerSimulatorOptions {
  /** roomledger's public URL. */
  baseUrl: string;
  /** A worker credential of the app for the simulated kind (not the app's ingest key). */
  credential: string;
  workerId: string;
  /** Delay between claiming a task and reporting its start (first frame, first packet). */
  startDelayMs: number;
  /** Probability (0..1) that a running task reports an exception on a heartbeat. */
  failureRate: number;
  /** Work on one task, then exit (default: keep claiming until aborted). */
  once: boolean;
  signal: AbortSignal;
  log: (line: string) => void;
}

export type WorkerSimulator = (o: WorkerSimulatorOptions) => Promise<void>;
