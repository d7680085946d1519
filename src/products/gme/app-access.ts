// Which GME app a recording action is about: the caller's own app with the "gme" product
// (else InvalidBizId: another account's app is not revealed), with recording opened (else
// UnsupportedOperation.ServiceNotOpened). The cloud checks the app before the task.
import type { ActionContext } from "../../protocols/tencent/action.ts";
import type { App } from "../../tenancy/accounts.ts";
import { gmeErrors } from "./errors.ts";
import { bizIdOf } from "./params.ts";
import { appSettings, type GmeAppSettings } from "./settings-store.ts";

export async function ownGmeApp(ctx: ActionContext, bizId: unknown): Promise<App> {
  const lookup = await ctx.tenancy.lookupApp(bizIdOf(bizId), ctx.account.accountId);
  if (lookup.kind !== "own" || !lookup.app.products.includes("gme")) throw gmeErrors.invalidBizId();
  return lookup.app;
}

export async function recordingApp(ctx: ActionContext, bizId: unknown): Promise<{ app: App; settings: GmeAppSettings }> {
  const app = await ownGmeApp(ctx, bizId);
  const settings = await appSettings(ctx.db, app.appId);
  if (!settings.recordingOpened) throw gmeErrors.serviceNotOpened();
  return { app, settings };
}
