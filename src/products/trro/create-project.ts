// CreateProject: a TRRO project is an app of the calling account (16 lowercase alphanumerics).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { checkProjectText, PolicyMode, ProjectDescription, ProjectName } from "./project-fields.ts";
import { insertProject } from "./project-store.ts";

export const createProject = defineAction({
  name: "CreateProject",
  request: Type.Object({
    ProjectName,
    ProjectDescription: Type.Optional(ProjectDescription),
    PolicyMode: Type.Optional(PolicyMode),
  }),
  async handler(req, ctx) {
    checkProjectText(req.ProjectName, req.ProjectDescription);
    const appId = await ctx.db.transaction(async (tx) => {
      const app = await ctx.tenancy.createApp(ctx.account.accountId, ["trro"], req.ProjectName, tx);
      await insertProject(
        tx,
        app.appId,
        { name: req.ProjectName, description: req.ProjectDescription ?? "", policyMode: req.PolicyMode ?? "black" },
        ctx.clock.now(),
      );
      return app.appId;
    });
    return { ProjectId: appId };
  },
});
