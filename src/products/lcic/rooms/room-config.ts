// The configuration of a room (CreateRoom/ModifyRoom fields, with Tencent's defaults) and
// the checks Tencent documents for it. Pure: no SQL, no HTTP.
import { lcicErrors } from "../errors.ts";

/** The stored configuration: the wire field names of CreateRoom. */
export interface RoomConfig {
  Name: string;
  StartTime: number;
  EndTime: number;
  Resolution: number;
  MaxMicNumber: number;
  SubType: string;
  TeacherId: string;
  AutoMic: number;
  TurnOffMic: number;
  AudioQuality: number;
  DisableRecord: number;
  Assistants: string[];
  RTCAudienceNumber: number;
  AudienceType: number;
  RecordLayout: number;
  GroupId: string;
  EnableDirectControl: number;
  InteractionMode: number;
  VideoOrientation: number;
  IsGradingRequiredPostClass: number;
  RoomType: number;
  Guests: string[];
  EndDelayTime: number;
  LiveType: number;
  RecordLiveUrl: string;
  EnableAutoStart: number;
  RecordBackground: string;
  RecordScene: string;
  RecordLang: string;
  RecordStream: number;
  WhiteBoardSnapshotMode: number;
  SubtitlesTranscription: number;
  RecordMerge: number;
  EnableLiveRelay: number;
}

export type RoomInput = Partial<RoomConfig> &
  Pick<RoomConfig, "Name" | "StartTime" | "EndTime" | "Resolution" | "MaxMicNumber" | "SubType">;

const MAX_CLASS_S = 72 * 3600;
/** Clients' clocks drift: a StartTime up to this much in the past still counts as "now". */
const START_SLACK_S = 60;

export function withDefaults(input: RoomInput): RoomConfig {
  return {
    TeacherId: "",
    AutoMic: 0,
    TurnOffMic: 0,
    AudioQuality: 0,
    DisableRecord: 0,
    Assistants: [],
    RTCAudienceNumber: 0,
    AudienceType: 0,
    // DescribeRoom: "videodoc defaults to 3, video to 0".
    RecordLayout: input.SubType === "videodoc" ? 3 : 0,
    GroupId: "",
    EnableDirectControl: 0,
    InteractionMode: 0,
    VideoOrientation: 0,
    IsGradingRequiredPostClass: 0,
    RoomType: 0,
    Guests: [],
    EndDelayTime: 0,
    LiveType: 0,
    RecordLiveUrl: "",
    EnableAutoStart: 0,
    RecordBackground: "",
    RecordScene: "",
    RecordLang: "",
    RecordStream: 0,
    WhiteBoardSnapshotMode: 0,
    SubtitlesTranscription: 0,
    RecordMerge: 0,
    EnableLiveRelay: 0,
    ...input,
  };
}

const oneOf = (v: number, allowed: readonly number[]): boolean => allowed.includes(v);

/** Checks a full configuration; `nowS` is the domain time in seconds (StartTime is checked only when `checkStart`). */
export function checkConfig(c: RoomConfig, nowS: number, checkStart: boolean): void {
  if ([...c.Name].length > 256 || c.Name.length === 0) throw lcicErrors.invalidValue("Name", "1 to 256 characters");
  if (checkStart && c.StartTime < nowS - START_SLACK_S) throw lcicErrors.startTime();
  if (c.EndTime <= c.StartTime) throw lcicErrors.endTime();
  if (c.EndTime - c.StartTime > MAX_CLASS_S) throw lcicErrors.classTooLong();
  if (!oneOf(c.Resolution, [1, 2, 3])) throw lcicErrors.invalidValue("Resolution", "must be 1, 2 or 3");
  if (c.SubType !== "videodoc" && c.SubType !== "video") throw lcicErrors.invalidValue("SubType", "must be videodoc or video");
  if (!oneOf(c.RoomType, [0, 1, 2, 3, 4])) throw lcicErrors.roomType();
  // Small class [0,16], big class [0,1]; the other types follow the small class.
  const maxMic = c.RoomType === 1 ? 1 : 16;
  if (c.MaxMicNumber < 0 || c.MaxMicNumber > maxMic) throw lcicErrors.maxMicNumber();
  if (!oneOf(c.DisableRecord, [0, 1, 2, 3])) throw lcicErrors.disableRecord();
  if (!oneOf(c.LiveType, [0, 1, 2])) throw lcicErrors.liveType();
  // The documented templates (1639/89744) are small integers; we accept 0 to 100.
  if (c.RecordLayout < 0 || c.RecordLayout > 100) throw lcicErrors.recordLayout();
  if (c.EndDelayTime < -1 || c.EndDelayTime > 120) throw lcicErrors.invalidValue("EndDelayTime", "must be -1 to 120");
  for (const [name, v] of Object.entries({
    AutoMic: c.AutoMic,
    TurnOffMic: c.TurnOffMic,
    AudioQuality: c.AudioQuality,
    EnableDirectControl: c.EnableDirectControl,
    InteractionMode: c.InteractionMode,
    VideoOrientation: c.VideoOrientation,
    IsGradingRequiredPostClass: c.IsGradingRequiredPostClass,
    EnableAutoStart: c.EnableAutoStart,
    RecordStream: c.RecordStream,
    RecordMerge: c.RecordMerge,
    EnableLiveRelay: c.EnableLiveRelay,
  })) {
    if (!oneOf(v, [0, 1])) throw lcicErrors.invalidValue(name, "must be 0 or 1");
  }
  if (!oneOf(c.WhiteBoardSnapshotMode, [0, 1, 2])) throw lcicErrors.invalidValue("WhiteBoardSnapshotMode", "must be 0, 1 or 2");
  if (!oneOf(c.SubtitlesTranscription, [0, 1, 2])) throw lcicErrors.invalidValue("SubtitlesTranscription", "must be 0, 1 or 2");
}

/**
 * When a room ends by itself, Unix ms. EndDelayTime is the allowed overtime in minutes:
 * -1 none, n > 0 n minutes, 0 "unlimited". Unlimited cannot mean never (the statistics
 * would never come), so we read it as the longest overtime Tencent allows: 120 minutes.
 */
export function scheduledEndMs(c: Pick<RoomConfig, "EndTime" | "EndDelayTime">): number {
  const delayMin = c.EndDelayTime === -1 ? 0 : c.EndDelayTime === 0 ? 120 : c.EndDelayTime;
  return (c.EndTime + delayMin * 60) * 1000;
}

/** ModifyRoom fields that may change once the class has started (the others say "直播开始后不允许修改"). */
export const MODIFIABLE_AFTER_START = new Set([
  "Name",
  "InteractionMode",
  "IsGradingRequiredPostClass",
  "SubtitlesTranscription",
  "EnableLiveRelay",
]);

/** The users a room expects in class besides its group: the teacher and the assistants. */
export function configuredRoles(c: RoomConfig): Map<string, number> {
  const roles = new Map<string, number>();
  for (const a of c.Assistants) roles.set(a, 2);
  if (c.TeacherId) roles.set(c.TeacherId, 1);
  return roles;
}
