// DescribeGroupList: the app's groups in creation order, Page from 1 (default 1), Limit
// default 20, at most 1000; only a teacher's groups with TeacherId, else only those a user
// is a member of with MemberId (directly, or through a combined group's sub groups; "都传时
// 以此字段获取": TeacherId wins). An empty string filters nothing.
// Two choices where the cloud is silent, both following its model and examples:
// - GroupInfo.SubGroupIds is a string in the SDK's model (DescribeGroup has a list): null for
//   a basic group, as in the cloud's examples; a combined group's sub group ids joined by ",".
// - GroupInfos is null, not [], when the page is empty ("可能返回 null").
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { GroupType, groupsPage } from "./groups-store.ts";

export const describeGroupList = defineAction({
  name: "DescribeGroupList",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    TeacherId: Type.Optional(Type.String({ maxLength: 128 })),
    MemberId: Type.Optional(Type.String({ maxLength: 128 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const page = req.Page ?? 1;
    const limit = req.Limit ?? 20;
    const teacherId = req.TeacherId || null;
    const filter = { teacherId, memberId: teacherId ? null : req.MemberId || null };
    const { total, groups } = await groupsPage(ctx.db, app.appId, filter, limit, (page - 1) * limit);
    const infos = groups.map((g) => ({
      GroupId: g.groupId,
      GroupName: g.name,
      TeacherId: g.teacherId,
      GroupType: g.groupType,
      SubGroupIds: g.groupType === GroupType.Combined ? g.subGroupIds.join(",") : null,
    }));
    return { Total: total, GroupInfos: infos.length > 0 ? infos : null };
  },
});
