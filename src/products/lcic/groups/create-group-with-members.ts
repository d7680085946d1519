// CreateGroupWithMembers: a basic group with its name, optional teacher and up to 200
// members; the teacher cannot also be a member (InvalidParameter.GroupTeacherNotMember).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { addMembers, checkedMembers, newGroupId, insertGroup } from "./groups-store.ts";
import { unknownUsers } from "../users/users-store.ts";

export const createGroupWithMembers = defineAction({
  name: "CreateGroupWithMembers",
  request: Type.Object({
    GroupName: Type.String({ maxLength: 1024 }),
    SdkAppId: Type.Integer(),
    TeacherId: Type.Optional(Type.String({ maxLength: 128 })),
    MemberIds: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const groupId = newGroupId();
    await ctx.db.transaction(async (tx) => {
      if (req.TeacherId && (await unknownUsers(tx, app.appId, [req.TeacherId])).length > 0) throw lcicErrors.groupTeachersNotExist();
      if (req.TeacherId && req.MemberIds?.includes(req.TeacherId)) throw lcicErrors.groupTeacherNotMember();
      const members = await checkedMembers(tx, app.appId, req.MemberIds ?? []);
      const now = ctx.clock.now();
      await insertGroup(tx, { appId: app.appId, groupId, name: req.GroupName, teacherId: req.TeacherId ?? "" }, now);
      await addMembers(tx, app.appId, [groupId], members, now);
    });
    return { GroupId: groupId };
  },
});
