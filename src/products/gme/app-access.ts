// Which GME app a recording action is about: the caller's own app with the "gme" product
// (else InvalidBizId: another account's app is not revealed), with recording opened (else
// UnsupportedOperation.ServiceNotOpened; so is a recording of an app closed by ModifyAppStatus,
// whose master switch turns every service off). The cloud checks the app before the task.
import type { ActionContext } from "../../protocols/tencent/action.ts";
import type { App } from "../../tenancy/accounts.ts";
import { ApiError } from "../../errors/api-error.ts";
import { gmeErrors } from "./errors.ts";
import { bizIdOf } from "./params.ts";
import { appSettings, type GmeAppSettings } from "./settings-store.ts";

/**
 * The caller's own GME app. Each action answers an app it cannot use with the code its error
 * list names: the recording actions InvalidBizId, the others (DeleteRoomMember,
 * DescribeUserInAndOutTime, ModifyAppStatus...) theirs.
 */
export async function ownGmeApp(ctx: ActionContext, bizId: unknown, notFound: () => ApiError = gmeErrors.invalidBizId): Promise<App> {
  let id: number;
  try {
    id = bizIdOf(bizId);
  } catch (err) {
    if (err instanceof ApiError && err.code === "InvalidParameterValue.InvalidBizId") throw notFound();
    throw err;
  }
  const lookup = await ctx.tenancy.lookupApp(id, ctx.account.accountId);
  if (lookup.kind !== "own" || !lookup.app.products.includes("gme")) throw notFound();
  return lookup.app;
}

export async function recordingApp(ctx: ActionContext, bizId: unknown): Promise<{ app: App; settings: GmeAppSettings }> {
  const app = await ownGmeApp(ctx, bizId);
  const settings = await appSettings(ctx.db, app.appId);
  if (!settings.recordingOpened || settings.appClosed) throw gmeErrors.serviceNotOpened();
  return { app, settings };
}
