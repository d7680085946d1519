// The recording parameters of StartOnlineRecord, which CreateVideoGenerationTask takes too
// (its own values win over the recording's): the SDK's Whiteboard, Concat, MixStream and
// RecordControl, with the ranges their documentation gives.
import { Type } from "@sinclair/typebox";

export const Whiteboard = Type.Object({
  Width: Type.Optional(Type.Integer({ minimum: 2 })),
  Height: Type.Optional(Type.Integer({ minimum: 2 })),
  InitParam: Type.Optional(Type.String()),
});
export const Concat = Type.Object({ Enabled: Type.Boolean(), Image: Type.Optional(Type.String({ maxLength: 1024 })) });
const LayoutParams = Type.Object({
  Width: Type.Integer({ minimum: 2, maximum: 3000 }),
  Height: Type.Integer({ minimum: 2, maximum: 3000 }),
  X: Type.Optional(Type.Integer({ minimum: 0, maximum: 3000 })),
  Y: Type.Optional(Type.Integer({ minimum: 0, maximum: 3000 })),
  ZOrder: Type.Optional(Type.Integer()),
});
export const MixStream = Type.Object({
  Enabled: Type.Boolean(),
  DisableAudio: Type.Optional(Type.Boolean()),
  ModelId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 })),
  TeacherId: Type.Optional(Type.String({ maxLength: 128 })),
  Custom: Type.Optional(
    Type.Object({
      Canvas: Type.Object({ LayoutParams, BackgroundColor: Type.Optional(Type.String({ maxLength: 16 })) }),
      InputStreamList: Type.Array(
        Type.Object({
          LayoutParams,
          InputStreamId: Type.Optional(Type.String({ maxLength: 128 })),
          BackgroundColor: Type.Optional(Type.String({ maxLength: 16 })),
          FillMode: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
        }),
        { maxItems: 100 },
      ),
    }),
  ),
});
export const RecordControl = Type.Object({
  Enabled: Type.Boolean(),
  DisableRecord: Type.Optional(Type.Boolean()),
  DisableAudio: Type.Optional(Type.Boolean()),
  PullSmallVideo: Type.Optional(Type.Boolean()),
  StreamControls: Type.Optional(
    Type.Array(
      Type.Object({
        StreamId: Type.String({ minLength: 1, maxLength: 128 }),
        DisableRecord: Type.Optional(Type.Boolean()),
        DisableAudio: Type.Optional(Type.Boolean()),
        PullSmallVideo: Type.Optional(Type.Boolean()),
      }),
      { maxItems: 100 },
    ),
  ),
});
