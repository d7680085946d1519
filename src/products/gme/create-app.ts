// CreateApp: creates a GME app (a BizId) for the caller's account. Recording is not opened
// by a new app (see store.ts DEFAULT_SETTINGS); the service switches given here are kept
// and answered back, by DescribeApplicationList too.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { alnum } from "../../ids.ts";
import { DEFAULT_SETTINGS, saveAppSettings } from "./settings-store.ts";

const OpenClose = Type.Union([Type.Literal("open"), Type.Literal("close")]);
const Tag = Type.Object({
  TagKey: Type.Optional(Type.String({ maxLength: 127 })),
  TagValue: Type.Optional(Type.String({ maxLength: 255 })),
});

export const createApp = defineAction({
  name: "CreateApp",
  request: Type.Object({
    AppName: Type.String({ minLength: 1, maxLength: 128 }),
    ProjectId: Type.Optional(Type.Integer({ minimum: 0 })),
    EngineList: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
    RegionList: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
    RealtimeSpeechConf: Type.Optional(
      Type.Object({
        Status: Type.Optional(OpenClose),
        Quality: Type.Optional(Type.Union([Type.Literal("high"), Type.Literal("ordinary")])),
      }),
    ),
    VoiceMessageConf: Type.Optional(
      Type.Object({ Status: Type.Optional(OpenClose), Language: Type.Optional(Type.Union([Type.Literal("all"), Type.Literal("cnen")])) }),
    ),
    VoiceFilterConf: Type.Optional(
      Type.Object({
        Status: Type.Optional(OpenClose),
        SceneInfos: Type.Optional(
          Type.Array(
            // SceneInfo: SceneId and Status required, Status a boolean (true on, false off) —
            // unlike the services' "open"/"close" strings. This used to take the strings and
            // refuse the booleans the SDK's model (and the documented example) send.
            Type.Object({
              SceneId: Type.String({ maxLength: 64 }),
              Status: Type.Boolean(),
              CallbackUrl: Type.Optional(Type.String({ maxLength: 1024 })),
            }),
            { maxItems: 32 },
          ),
        ),
      }),
    ),
    AsrConf: Type.Optional(Type.Object({ Status: Type.Optional(OpenClose) })),
    Tags: Type.Optional(Type.Array(Tag, { maxItems: 50 })),
  }),
  async handler(req, ctx) {
    // Defaults when a switch is not given: services on, high quality, Chinese/English,
    // as the console creates an app.
    const profile = {
      RealtimeSpeechConf: { Status: "open", Quality: "high", ...req.RealtimeSpeechConf },
      VoiceMessageConf: { Status: "open", Language: "cnen", ...req.VoiceMessageConf },
      VoiceFilterConf: { Status: "open", SceneInfos: [], ...req.VoiceFilterConf },
      AsrConf: { Status: "open", ...req.AsrConf },
      EngineList: req.EngineList ?? ["android", "ios", "unity", "cocos", "unreal", "windows"],
      RegionList: req.RegionList ?? ["mainland", "hmt", "sea", "na", "eu", "jpkr", "sa", "oc", "me"],
      Tags: req.Tags ?? [],
    };
    const appKey = alnum(16);
    const app = await ctx.db.transaction(async (tx) => {
      const created = await ctx.tenancy.createApp(ctx.account.accountId, ["gme"], req.AppName, tx);
      await saveAppSettings(tx, created.appId, { ...DEFAULT_SETTINGS, projectId: req.ProjectId ?? 0, appKey, profile }, ctx.clock.now());
      return created;
    });
    return {
      Data: {
        BizId: Number(app.appId),
        AppName: app.name,
        ProjectId: req.ProjectId ?? 0,
        SecretKey: appKey,
        CreateTime: Math.floor(app.createdAt / 1000),
        RealtimeSpeechConf: profile.RealtimeSpeechConf,
        VoiceMessageConf: profile.VoiceMessageConf,
        VoiceFilterConf: profile.VoiceFilterConf,
        AsrConf: profile.AsrConf,
      },
    };
  },
});
