// SetOnlineRecordCallbackKey: the key that signs the app's online recording callbacks
// (Sign = md5(CallbackKey + ExpireTime)); "" deletes it.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { setCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp } from "./errors.ts";
import { RECORD_CALLBACKS } from "./callback-settings.ts";

export const setOnlineRecordCallbackKey = defineAction({
  name: "SetOnlineRecordCallbackKey",
  request: Type.Object({ SdkAppId: Type.Integer(), CallbackKey: Type.String({ maxLength: 64 }) }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    await setCallbackSetting(ctx.db, app.appId, RECORD_CALLBACKS, { key: req.CallbackKey });
    return {};
  },
});
