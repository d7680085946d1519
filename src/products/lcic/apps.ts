// An LCIC app is an app of the caller's account with the product "lcic"; its SdkAppId is the
// app id as an integer. Another account's app, a missing one or an app without LCIC is
// InvalidParameter.SdkAppId (never that app's data).
import type { ActionContext } from "../../protocols/tencent/action.ts";
import type { App } from "../../tenancy/accounts.ts";
import { lcicErrors } from "./errors.ts";

export async function lcicApp(ctx: ActionContext, sdkAppId: number): Promise<App> {
  const found = await ctx.tenancy.lookupApp(String(sdkAppId), ctx.account.accountId);
  if (found.kind !== "own" || !found.app.products.includes("lcic")) throw lcicErrors.sdkAppId();
  return found.app;
}

/** The account's LCIC app ids (for actions that name a user or a room without SdkAppId). */
export async function lcicAppIds(ctx: ActionContext): Promise<string[]> {
  return (await ctx.tenancy.appsOf(ctx.account.accountId, "lcic")).map((a) => a.appId);
}
