// SetWarningCallback: the URL and the key of the app's warning callbacks, in one call ("" deletes either).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { isHttpUrl, WARNING_CALLBACKS } from "./callback-settings.ts";

export const setWarningCallback = defineAction({
  name: "SetWarningCallback",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Callback: Type.String({ maxLength: 1024 }),
    CallbackKey: Type.String({ maxLength: 64 }),
  }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    if (req.Callback !== "" && !isHttpUrl(req.Callback)) throw tiwErrors.callbackAddressFormat();
    await setCallbackSetting(ctx.db, app.appId, WARNING_CALLBACKS, { url: req.Callback, key: req.CallbackKey });
    return {};
  },
});
