// DescribeProjectInfo.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { ownProject } from "./project-access.ts";
import { ProjectId } from "./project-fields.ts";
import { cstTime } from "./wire-format.ts";

export const describeProjectInfo = defineAction({
  name: "DescribeProjectInfo",
  request: Type.Object({ ProjectId }),
  async handler(req, ctx) {
    const { row } = await ownProject(ctx, req.ProjectId);
    return {
      ProjectName: row.name,
      ProjectDescription: row.description,
      PolicyMode: row.policy_mode,
      ModifyTime: cstTime(row.modify_time),
    };
  },
});
