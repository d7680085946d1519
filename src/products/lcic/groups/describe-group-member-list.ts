// DescribeGroupMemberList: a group's member ids in the order they were added, Page from 1
// (default 1), Limit default 20, at most 1000.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { existingGroups, groupMembersPage } from "./groups-store.ts";

export const describeGroupMemberList = defineAction({
  name: "DescribeGroupMemberList",
  request: Type.Object({
    GroupId: Type.String({ maxLength: 128 }),
    SdkAppId: Type.Integer(),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const db = ctx.db;
    if ((await existingGroups(db, app.appId, [req.GroupId])).size === 0) throw lcicErrors.groupNotFound();
    const page = req.Page ?? 1;
    const limit = req.Limit ?? 20;
    const { total, memberIds } = await groupMembersPage(db, app.appId, req.GroupId, limit, (page - 1) * limit);
    return { Total: total, MemberIds: memberIds };
  },
});
