// DescribeSampleTicks: the tick count of an app, over Tencent Cloud API 3.0.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../src/protocols/tencent/action.ts";
import { ApiError } from "../../../src/errors/api-error.ts";
import type { SampleSettings } from "./index.ts";
import { tickCount } from "./store.ts";

export const describeSampleTicks = defineAction({
  name: "DescribeSampleTicks",
  request: Type.Object({ AppId: Type.String() }),
  async handler(req, ctx) {
    const found = await ctx.tenancy.lookupApp(req.AppId, ctx.account.accountId);
    if (found.kind !== "own") throw new ApiError("ResourceNotFound", `no app ${req.AppId}`);
    const settings = ctx.settings as SampleSettings;
    return { Count: await tickCount(ctx.db, found.app.appId), Label: settings.label, Started: settings.started.length };
  },
});
