// ModifyProject: absent fields stay as they are.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { checkProjectText, PolicyMode, ProjectDescription, ProjectId, ProjectName } from "./project-fields.ts";
import { updateProject } from "./project-store.ts";

export const modifyProject = defineAction({
  name: "ModifyProject",
  request: Type.Object({
    ProjectId,
    ProjectName: Type.Optional(ProjectName),
    ProjectDescription: Type.Optional(ProjectDescription),
    PolicyMode: Type.Optional(PolicyMode),
  }),
  async handler(req, ctx) {
    checkProjectText(req.ProjectName, req.ProjectDescription);
    const { app } = await ownProject(ctx, req.ProjectId);
    await updateProject(
      ctx.db,
      app.appId,
      { name: req.ProjectName, description: req.ProjectDescription, policyMode: req.PolicyMode },
      ctx.clock.now(),
    );
    return {};
  },
});
