// DescribeApplicationList: the caller's GME apps, paged (PageNo from 0), filtered by project
// (-1 = all), by a name keyword (SearchText, fuzzy = substring, case-insensitive), by tags,
// and by Filters on AppName or BizId. ServiceConf.Live is the recording switch
// ("语音录制服务开关状态"; 0 open, 1 closed).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { tencentErrors } from "../../errors/tencent-common.ts";
import { DEFAULT_SETTINGS, settingsOfApps, type GmeAppSettings } from "./settings-store.ts";
import type { App } from "../../tenancy/accounts.ts";

const status = (s: unknown): { Status: number } => ({ Status: s === "close" ? 1 : 0 });

export const describeApplicationList = defineAction({
  name: "DescribeApplicationList",
  request: Type.Object({
    ProjectId: Type.Integer({ minimum: -1 }),
    PageNo: Type.Integer({ minimum: 0 }),
    PageSize: Type.Integer({ minimum: 1, maximum: 1000 }),
    SearchText: Type.String({ maxLength: 128 }),
    TagSet: Type.Optional(
      Type.Array(Type.Object({ TagKey: Type.Optional(Type.String()), TagValue: Type.Optional(Type.String()) }), { maxItems: 50 }),
    ),
    Filters: Type.Optional(
      Type.Array(Type.Object({ Name: Type.Optional(Type.String()), Values: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })) }), {
        maxItems: 10,
      }),
    ),
    NewVersion: Type.Optional(Type.Integer({ minimum: 0, maximum: 1 })),
  }),
  async handler(req, ctx) {
    const apps = await ctx.tenancy.appsOf(ctx.account.accountId, "gme");
    const settings = await settingsOfApps(
      ctx.db,
      apps.map((a) => a.appId),
    );
    const of = (a: App): GmeAppSettings => settings.get(a.appId) ?? DEFAULT_SETTINGS;
    const keyword = req.SearchText.toLowerCase();
    for (const f of req.Filters ?? []) {
      if (f.Name !== "AppName" && f.Name !== "BizId") throw tencentErrors.invalidParameterValue("Filters.Name", "must be AppName or BizId");
    }
    const matching = apps.filter((a) => {
      const s = of(a);
      // GME 3.0 apps (NewVersion 1) are a console generation this server does not create.
      if (req.NewVersion === 1) return false;
      if (req.ProjectId !== -1 && s.projectId !== req.ProjectId) return false;
      if (keyword && !a.name.toLowerCase().includes(keyword)) return false;
      const tags = (s.profile.Tags ?? []) as { TagKey?: string; TagValue?: string }[];
      for (const want of req.TagSet ?? []) {
        if (!tags.some((t) => t.TagKey === want.TagKey && (want.TagValue === undefined || t.TagValue === want.TagValue))) return false;
      }
      for (const f of req.Filters ?? []) {
        const value = f.Name === "AppName" ? a.name : a.appId;
        if (f.Values?.length && !f.Values.some((v) => value.toLowerCase().includes(v.toLowerCase()))) return false;
      }
      return true;
    });
    const page = matching.slice(req.PageNo * req.PageSize, (req.PageNo + 1) * req.PageSize);
    return {
      ApplicationList: page.map((a) => {
        const s = of(a);
        const p = s.profile as Record<string, { Status?: string } | undefined>;
        return {
          ServiceConf: {
            RealTimeSpeech: status(p.RealtimeSpeechConf?.Status),
            VoiceMessage: status(p.VoiceMessageConf?.Status),
            Porn: status(p.VoiceFilterConf?.Status),
            Live: { Status: s.recordingOpened ? 0 : 1 },
            RealTimeAsr: status(p.AsrConf?.Status),
            // Text translation is not a switch CreateApp takes; the console leaves it off.
            TextTranslate: { Status: 1 },
          },
          BizId: Number(a.appId),
          AppName: a.name,
          ProjectId: s.projectId,
          // 0 normal, 1 closed (ModifyAppStatus); the arrears states 2/3 do not exist here.
          AppStatus: s.appClosed ? 1 : 0,
          CreateTime: Math.floor(a.createdAt / 1000),
          AppType: 0,
        };
      }),
      Total: matching.length,
    };
  },
});
