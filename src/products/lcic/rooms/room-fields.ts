// The request fields shared by CreateRoom and ModifyRoom (all optional here; CreateRoom
// requires its six). Ranges are checked by room-config.ts, to answer Tencent's own codes.
import { Type } from "@sinclair/typebox";

const Int = () => Type.Optional(Type.Integer());
const Str = (maxLength = 4096) => Type.Optional(Type.String({ maxLength }));
const Ids = () => Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 }));

export const roomFields = {
  Name: Str(1024),
  StartTime: Int(),
  EndTime: Int(),
  Resolution: Int(),
  MaxMicNumber: Int(),
  SubType: Str(32),
  TeacherId: Str(128),
  AutoMic: Int(),
  TurnOffMic: Int(),
  AudioQuality: Int(),
  DisableRecord: Int(),
  Assistants: Ids(),
  RTCAudienceNumber: Int(),
  AudienceType: Int(),
  RecordLayout: Int(),
  GroupId: Str(128),
  EnableDirectControl: Int(),
  InteractionMode: Int(),
  VideoOrientation: Int(),
  IsGradingRequiredPostClass: Int(),
  RoomType: Int(),
  Guests: Ids(),
  EndDelayTime: Int(),
  LiveType: Int(),
  RecordLiveUrl: Str(),
  EnableAutoStart: Int(),
  RecordBackground: Str(),
  RecordScene: Str(),
  RecordLang: Str(64),
  RecordStream: Int(),
  WhiteBoardSnapshotMode: Int(),
  SubtitlesTranscription: Int(),
  RecordMerge: Int(),
  EnableLiveRelay: Int(),
};
