// CreateGroupWithSubGroup: a combined group (联合群组, GroupType 1) of 1 to 40 distinct basic
// groups of the app. It has no members of its own: its members are its sub groups', now and
// later (DescribeGroupMemberList, a room's expected attendees, SubGroupId in the statistics).
// A missing sub group is ResourceNotFound.GroupNotExist, a combined one
// InvalidParameter.GroupTypeInvalid, a repeated one InvalidParameterValue ("子群组ID不能重复");
// the teacher must exist (InvalidParameter.GroupTeachersNotExist) and be in none of the sub
// groups (InvalidParameter.GroupTeacherNotMember).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";
import { GroupType, groupsByIds, insertGroup, insertSubGroups, membersAmong, newGroupId } from "./groups-store.ts";

export const createGroupWithSubGroup = defineAction({
  name: "CreateGroupWithSubGroup",
  request: Type.Object({
    GroupName: Type.String({ maxLength: 1024 }),
    SdkAppId: Type.Integer(),
    SubGroupIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 40 }),
    TeacherId: Type.Optional(Type.String({ maxLength: 128 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    if (new Set(req.SubGroupIds).size !== req.SubGroupIds.length) throw lcicErrors.invalidValue("SubGroupIds", "must not repeat a group");
    const groupId = newGroupId();
    const teacherId = req.TeacherId ?? "";
    await ctx.db.transaction(async (tx) => {
      const subs = await groupsByIds(tx, app.appId, req.SubGroupIds);
      if (subs.size !== req.SubGroupIds.length) throw lcicErrors.groupNotFound();
      if ([...subs.values()].some((g) => g.groupType !== GroupType.Basic)) throw lcicErrors.groupTypeInvalid();
      if (teacherId !== "") {
        if ((await unknownUsers(tx, app.appId, [teacherId])).length > 0) throw lcicErrors.groupTeachersNotExist();
        if ((await membersAmong(tx, app.appId, req.SubGroupIds, [teacherId])).length > 0) throw lcicErrors.groupTeacherNotMember();
      }
      await insertGroup(tx, { appId: app.appId, groupId, name: req.GroupName, teacherId, groupType: GroupType.Combined }, ctx.clock.now());
      await insertSubGroups(tx, app.appId, groupId, req.SubGroupIds);
    });
    return { GroupId: groupId };
  },
});
