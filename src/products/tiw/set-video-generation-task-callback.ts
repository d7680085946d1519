// SetVideoGenerationTaskCallback: the URL of the app's video generation callbacks ("" deletes it).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { isHttpUrl, VIDEO_GENERATION_CALLBACKS } from "./callback-settings.ts";

export const setVideoGenerationTaskCallback = defineAction({
  name: "SetVideoGenerationTaskCallback",
  request: Type.Object({ SdkAppId: Type.Integer(), Callback: Type.String({ maxLength: 1024 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    if (req.Callback !== "" && !isHttpUrl(req.Callback)) throw tiwErrors.callbackAddressFormat();
    await setCallbackSetting(ctx.db, app.appId, VIDEO_GENERATION_CALLBACKS, { url: req.Callback });
    return {};
  },
});
