// DescribeProjectList: the account's projects, oldest first (new projects append, so pages
// stay put while projects are created).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";
import { OptionalPageNumber, OptionalPageSize, optionalPage } from "./project-fields.ts";
import { listProjects } from "./project-store.ts";
import { cstTime } from "./wire-format.ts";

export const describeProjectList = defineAction({
  name: "DescribeProjectList",
  request: Type.Object({ PageSize: OptionalPageSize, PageNumber: OptionalPageNumber }),
  async handler(req, ctx) {
    const { limit, offset } = optionalPage(req.PageSize, req.PageNumber);
    const { total, rows } = await listProjects(ctx.db, ctx.account.accountId, limit, offset);
    return {
      Projects: rows.map((r) => ({
        ProjectId: r.app_id,
        ProjectName: r.name,
        ProjectDescription: r.description,
        PolicyMode: r.policy_mode,
        ModifyTime: cstTime(r.modify_time),
      })),
      Total: total,
      Num: rows.length,
    };
  },
});
