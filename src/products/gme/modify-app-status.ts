// ModifyAppStatus: the application's master switch, "open" or "close". A closed app shows
// AppStatus 1 in DescribeApplicationList; its services are off, which for what roomledger
// answers means its recording actions answer UnsupportedOperation.ServiceNotOpened (as
// while the recording switch is off) until it is opened again. The voice-room actions
// (DescribeRoomInfo...) keep answering: they read the ledger of what happened.
// Closing does not stop a recording already running (the cloud's behaviour is not
// documented; stopping it is one StopRecord away — once the app is open again).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownGmeApp } from "./app-access.ts";
import { gmeErrors } from "./errors.ts";
import { LooseInteger } from "./params.ts";
import { appSettings, saveAppSettings } from "./settings-store.ts";

export const modifyAppStatus = defineAction({
  name: "ModifyAppStatus",
  request: Type.Object({ BizId: LooseInteger, Status: Type.String() }),
  async handler(req, ctx) {
    const app = await ownGmeApp(ctx, req.BizId, gmeErrors.bizIdNotFound);
    // The action's error list has InvalidParameter (not InvalidParameterValue) for this.
    if (req.Status !== "open" && req.Status !== "close") {
      throw gmeErrors.invalidParameter("Status must be open or close.", "Status 取值为 open 或 close。");
    }
    await ctx.db.transaction(async (tx) => {
      const current = await appSettings(tx, app.appId);
      await saveAppSettings(tx, app.appId, { ...current, appClosed: req.Status === "close" }, ctx.clock.now());
    });
    return { Data: { BizId: Number(app.appId), Status: req.Status } };
  },
});
