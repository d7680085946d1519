// Resolves a ProjectId for the calling account: the account's own TRRO project, or
// OperationDenied (see errors.ts for why missing and foreign answer alike).
import type { ActionContext } from "../../protocols/tencent/action.ts";
import type { App } from "../../tenancy/accounts.ts";
import { trroErrors } from "./errors.ts";
import { ensureProjectRow, type ProjectRow } from "./project-store.ts";

export interface OwnProject {
  app: App;
  row: ProjectRow;
}

export async function ownProject(ctx: ActionContext, projectId: string): Promise<OwnProject> {
  const found = await ctx.tenancy.lookupApp(projectId, ctx.account.accountId);
  if (found.kind !== "own" || !found.app.products.includes("trro")) throw trroErrors.projectDenied(projectId);
  // Projects created through the admin API (an app with product "trro") get their TRRO
  // row on first use.
  const row = await ensureProjectRow(ctx.db, found.app, ctx.clock.now());
  if (!row) throw trroErrors.projectDenied(projectId); // deleted meanwhile by another instance
  return { app: found.app, row };
}
