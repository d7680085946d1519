// What a viewer may see: an account its own apps, an admin every account's. An app or room
// outside that is answered exactly as one that does not exist (404), so the console cannot
// be used to probe other accounts' ids.
import type { App } from "../tenancy/accounts.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { Viewer } from "./session.ts";

export async function visibleApps(tenancy: Tenancy, viewer: Viewer): Promise<App[]> {
  if (viewer.kind === "account") return tenancy.appsOf(viewer.accountId);
  const accounts = await tenancy.accounts();
  return (await Promise.all(accounts.map((a) => tenancy.appsOf(a.accountId)))).flat();
}

/** The app if the viewer may see it and it has `product` (when given); else null. */
export async function visibleApp(tenancy: Tenancy, viewer: Viewer, appId: string, product?: string): Promise<App | null> {
  const app = await tenancy.app(appId);
  if (!app) return null;
  if (viewer.kind === "account" && app.accountId !== viewer.accountId) return null;
  if (product && !app.products.includes(product)) return null;
  return app;
}
