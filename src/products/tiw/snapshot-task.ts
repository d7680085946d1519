// The snapshot task (CreateSnapshotTask: images of the whiteboard at the marks the clients
// set with addSnapshotMark) and its two states, as the cloud documents them: Running, then
// Finished (with ErrorCode "OK", or the error that ended it). A snapshot worker joins the
// room, reports each image it makes, and reports the end (the room is over).

export interface SnapshotTask {
  appId: string;
  taskId: string;
  roomId: number;
  callbackUrl: string;
  status: "Running" | "Finished";
  snapshots: string[];
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  finishedAt: number | null;
}

/** The cloud's ErrorCode of a snapshot task that ended well (its example). */
export const SNAPSHOT_OK = "OK";

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * DescribeSnapshotTask's answer. Choices where the cloud is silent: while Running,
 * FinishTime and Result are null (the SDK allows it: there is no finish and no result yet).
 */
export function describeSnapshot(t: SnapshotTask): Record<string, unknown> {
  const finished = t.status === "Finished";
  return {
    TaskID: t.taskId,
    Status: t.status,
    CreateTime: seconds(t.createdAt),
    FinishTime: finished && t.finishedAt !== null ? seconds(t.finishedAt) : null,
    Result: finished
      ? { ErrorCode: t.errorCode ?? SNAPSHOT_OK, ErrorMessage: t.errorMessage ?? "", Total: t.snapshots.length, Snapshots: t.snapshots }
      : null,
  };
}
