// DescribeGroup: one group's name, teacher ("" when it has none, as DescribeGroupList shows
// it), type (0 basic, 1 combined) and, for a combined group, its sub groups in the order
// they were given; a basic group's SubGroupIds is null ("可能返回 null"), as the cloud's
// examples show for basic groups.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { GroupType, groupsByIds } from "./groups-store.ts";

export const describeGroup = defineAction({
  name: "DescribeGroup",
  request: Type.Object({ GroupId: Type.String({ maxLength: 128 }), SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const group = (await groupsByIds(ctx.db, app.appId, [req.GroupId])).get(req.GroupId);
    if (!group) throw lcicErrors.groupNotFound();
    return {
      GroupId: group.groupId,
      GroupName: group.name,
      TeacherId: group.teacherId,
      GroupType: group.groupType,
      SubGroupIds: group.groupType === GroupType.Combined ? group.subGroupIds : null,
    };
  },
});
