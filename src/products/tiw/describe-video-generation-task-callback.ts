// DescribeVideoGenerationTaskCallback: the app's video generation callback URL and key ("" when unset).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { getCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp } from "./errors.ts";
import { VIDEO_GENERATION_CALLBACKS } from "./callback-settings.ts";

export const describeVideoGenerationTaskCallback = defineAction({
  name: "DescribeVideoGenerationTaskCallback",
  request: Type.Object({ SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const setting = await getCallbackSetting(ctx.db, app.appId, VIDEO_GENERATION_CALLBACKS);
    return { Callback: setting.url, CallbackKey: setting.key };
  },
});
