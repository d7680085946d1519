// SetWhiteboardPushCallback: the URL of the app's push callbacks ("" deletes it).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp, tiwErrors } from "./errors.ts";
import { isHttpUrl } from "./callback-settings.ts";

export const setWhiteboardPushCallback = defineAction({
  name: "SetWhiteboardPushCallback",
  request: Type.Object({ SdkAppId: Type.Integer(), Callback: Type.String({ maxLength: 1024 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    if (req.Callback !== "" && !isHttpUrl(req.Callback)) throw tiwErrors.callbackAddressFormat();
    await setCallbackSetting(ctx.db, app.appId, "tiw", { url: req.Callback });
    return {};
  },
});
