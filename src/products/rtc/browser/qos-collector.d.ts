// Types of roomledger/qos-collector (the module is plain JavaScript, shipped as written).
export interface QosCollectorOptions {
  /** roomledger's public URL, e.g. https://roomledger.example.com */
  url: string;
  /** A browser upload token for (app, roomId, userId), or a function that fetches one (called again after a 401). */
  token: string | (() => string | Promise<string>);
  roomId: string;
  /** The user of this browser: uplink samples are theirs, downlink samples name them as the peer. */
  userId: string;
  /** Sampling period in ms (default 2000). */
  intervalMs?: number;
  /** Samples per upload request (default 300). */
  maxBatch?: number;
  /** Samples kept while uploads fail, oldest dropped first (default 3000). */
  maxQueue?: number;
  fetch?: typeof fetch;
  onError?: (err: unknown) => void;
}

export interface QosCollector {
  /** Measures a connection; `remoteUserId` is who sends what it receives, `streamId` tells connections apart (default pc1, pc2, …). */
  add(pc: unknown, o: { remoteUserId: string; streamId?: string }): void;
  remove(pc: unknown): void;
  /** Samples waiting to be uploaded. */
  readonly pending: number;
  /** Stops the timer, measures once more, one last upload attempt; never rejects. */
  stop(): Promise<void>;
}

export function createQosCollector(options: QosCollectorOptions): QosCollector;
