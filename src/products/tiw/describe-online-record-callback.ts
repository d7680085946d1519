// DescribeOnlineRecordCallback: the app's online recording callback URL and key ("" when unset).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { getCallbackSetting } from "../../callbacks/tencent-callback.ts";
import { tiwApp } from "./errors.ts";
import { RECORD_CALLBACKS } from "./callback-settings.ts";

export const describeOnlineRecordCallback = defineAction({
  name: "DescribeOnlineRecordCallback",
  request: Type.Object({ SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await tiwApp(ctx, req.SdkAppId, "Unauthorized");
    const setting = await getCallbackSetting(ctx.db, app.appId, RECORD_CALLBACKS);
    return { Callback: setting.url, CallbackKey: setting.key };
  },
});
