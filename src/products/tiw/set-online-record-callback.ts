// SetOnlineRecordCallback: the URL of the app's online recording callbacks ("" deletes it).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { isHttpUrl, RECORD_CALLBACKS } from "./callback-settings.ts";

export const setOnlineRecordCallback = defineAction({
  name: "SetOnlineRecordCallback",
  request: Type.Object({ SdkAppId: Type.Integer(), Callback: Type.String({ maxLength: 1024 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    if (req.Callback !== "" && !isHttpUrl(req.Callback)) throw tiwErrors.callbackAddressFormat();
    await setCallbackSetting(ctx.db, app.appId, RECORD_CALLBACKS, { url: req.Callback });
    return {};
  },
});
