// DeleteProject: the project, its devices, sessions and samples, and its app go together.
// The reference does not say whether a project with devices may be deleted; the action's
// name does, so everything goes, open sessions included.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { deleteProjectData } from "./project-store.ts";

export const deleteProject = defineAction({
  name: "DeleteProject",
  request: Type.Object({ ProjectId }),
  async handler(req, ctx) {
    const { app } = await ownProject(ctx, req.ProjectId);
    await ctx.db.transaction(async (tx) => {
      await deleteProjectData(tx, app.appId);
      await ctx.tenancy.deleteApp(app.appId, tx);
    });
    return {};
  },
});
