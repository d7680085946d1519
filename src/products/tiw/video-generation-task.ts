// The video generation task (CreateVideoGenerationTask: videos made after the class from a
// recording in VIDEO_GENERATION_MODE) and its state machine, as pure functions. The states
// are the ones DescribeVideoGenerationTask documents:
//
//   QUEUED ──a generator takes it──► PROCESSING ──its result──► FINISHED
//      ▲                                 │
//      └──── the generator vanished ─────┘   (final failure, or every attempt used: FINISHED with an error)
import type { VideoInfo } from "./record-task.ts";

export type VideoGenerationStatus = "QUEUED" | "PROCESSING" | "FINISHED";

export interface VideoGenerationTask {
  appId: string;
  taskId: string;
  recordTaskId: string;
  roomId: number;
  groupId: string;
  status: VideoGenerationStatus;
  progress: number;
  totalTime: number;
  videoInfos: VideoInfo[];
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: number;
  finishedAt: number | null;
}

/** A failed generation's error text, in the recordings' format ("code: X, msg: Y\n"). */
export const generationFailureMessage = (code: string, message: string): string => `code: ${code}, msg: ${message}\n`;

/** Finished with an error: DescribeVideoGenerationTask answers FailedOperation.Record (its documented error). */
export const failed = (t: VideoGenerationTask): boolean => t.status === "FINISHED" && t.errorCode !== null;

/** The deprecated single `VideoInfos` object: the first video, or one of zero values while there is none. */
function deprecatedVideoInfos(t: VideoGenerationTask): VideoInfo {
  return (
    t.videoInfos[0] ?? {
      VideoPlayTime: 0,
      VideoSize: 0,
      VideoFormat: "",
      VideoDuration: 0,
      VideoUrl: "",
      VideoId: "",
      VideoType: 0,
      UserId: "",
      Width: 0,
      Height: 0,
    }
  );
}

export function describeVideoGeneration(t: VideoGenerationTask): Record<string, unknown> {
  return {
    GroupId: t.groupId,
    RoomId: t.roomId,
    TaskId: t.taskId,
    Progress: t.progress,
    Status: t.status,
    TotalTime: t.status === "FINISHED" ? t.totalTime : 0,
    VideoInfos: deprecatedVideoInfos(t),
    VideoInfoList: t.videoInfos,
  };
}

export const progressEventData = (t: VideoGenerationTask) => ({ TaskId: t.taskId, RoomId: t.roomId, Progress: t.progress });

/** OfflineRecordFinished: the event the cloud's "after-class recording" (video generation) sends when done. */
export function finishedEventData(t: VideoGenerationTask, recordStartTimeS: number): Record<string, unknown> {
  const data: Record<string, unknown> = {
    TaskId: t.taskId,
    GroupId: t.groupId,
    RoomId: t.roomId,
    Progress: 100,
    RecordStartTime: recordStartTimeS,
    TotalTime: t.totalTime,
    VideoInfos: t.videoInfos,
  };
  if (t.errorCode !== null) {
    data.Error = { Code: "FailedOperation.Record", Message: generationFailureMessage(t.errorCode, t.errorMessage ?? "") };
  }
  return data;
}
