// The domain of GME server-side recording, free of HTTP and SQL: record modes, the allow/deny
// list, RecordInfo statuses and how they may move, file names, and which streams a recorder
// should be capturing. The store and the actions build on these rules.

/** 1 single streams (one per user), 2 the mixed stream, 3 both. */
export type RecordMode = 1 | 2 | 3;
export const RECORD_MODES: readonly number[] = [1, 2, 3];

/** The mixed stream's RecordInfo entry carries UserId "0" (the API's own convention). */
export const MIX_USER_ID = "0";

export const recordsSingle = (mode: number): boolean => mode === 1 || mode === 3;
export const recordsMix = (mode: number): boolean => mode === 2 || mode === 3;

/** RecordInfo.RecordStatus values (reference §8.4). */
export const RecordStatus = {
  recording: 2,
  waitingForTranscode: 10,
  transcoding: 11,
  uploading: 12,
  uploaded: 13,
  userNotified: 14,
} as const;
export const POST_RECORDING_STATUSES: readonly number[] = [10, 11, 12, 13, 14];

/**
 * SubscribeRecordUserIds: an allow-list or a deny-list (never both), or neither, which
 * records every user who sends audio.
 */
export interface SubscribeFilter {
  subscribe: string[] | null;
  unsubscribe: string[] | null;
}
export const RECORD_EVERYONE: SubscribeFilter = { subscribe: null, unsubscribe: null };

export function isSubscribed(filter: SubscribeFilter, userId: string): boolean {
  if (filter.subscribe) return filter.subscribe.includes(userId);
  if (filter.unsubscribe) return !filter.unsubscribe.includes(userId);
  return true;
}

/**
 * The file name of a stream's recording. The cloud's example answer carries
 * `/3400352518_2314_447947346201176660_9081`: the request's BizId (3400352518), then a short
 * number that reads as the room, an 18-digit number shaped like a TaskId, and the user. So:
 * `/<BizId>_<RoomId>_<TaskId>_<UserId>`, with "0" as the user of the mixed stream. (The
 * example's RoomId/UserId fields differ from its file name: a documentation artefact.)
 */
export const recordFileName = (bizId: string, roomId: string, taskId: number, userId: string): string =>
  `/${bizId}_${roomId}_${taskId}_${userId}`;

/**
 * Whether a recorder's status report may move a stream from `current` to `next`. Streams go
 * forward only; a repeated status (a retried report) is accepted and changes nothing; a
 * recorder may skip steps it does not have (a backend without a separate "uploading"). A
 * stream leaves 2 only once the task stopped recording: until then its file is still open.
 */
export function statusMove(current: number, next: number, taskRecording: boolean): "ok" | "backwards" | "still-recording" {
  if (next < current) return "backwards";
  if (taskRecording && next !== current) return "still-recording";
  return "ok";
}

/**
 * The streams a recorder should be capturing now: in mode 2/3 the mix, in mode 1/3 each
 * speaker (in the room, sending audio, not muted by the server) that the list allows. A
 * stream that began and is no longer here (paused, left, muted, filtered out) is not
 * captured meanwhile; its entry stays and continues when it comes back.
 */
export function streamsToCapture(mode: number, filter: SubscribeFilter, speakers: readonly string[]): string[] {
  const out: string[] = [];
  if (recordsMix(mode)) out.push(MIX_USER_ID);
  if (recordsSingle(mode)) for (const u of speakers) if (isSubscribed(filter, u)) out.push(u);
  return out;
}

/**
 * The streams to capture that have not begun yet. A user whose stream began keeps their one
 * entry for the whole task (a pause or a rejoin continues the same file).
 */
export function streamsToBegin(mode: number, filter: SubscribeFilter, speakers: readonly string[], begun: ReadonlySet<string>): string[] {
  return streamsToCapture(mode, filter, speakers).filter((u) => !begun.has(u));
}

/** Our TaskIds are 16-digit integers below 2^53, so JavaScript clients keep them exact. */
export const TASK_ID_MIN = 1_000_000_000_000_000;
export const couldBeOurTaskId = (n: number): boolean => Number.isSafeInteger(n) && n >= TASK_ID_MIN;
