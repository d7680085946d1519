// ModifyGroup: a group's name and/or teacher. Nothing to change (neither given, or both
// empty) is InvalidParameter.GroupParamInvalid; an unknown teacher is
// InvalidParameter.GroupTeachersNotExist, as at creation; a teacher who is a member of the
// group (or of a combined group's sub groups) is InvalidParameter.GroupTeacherNotMember.
// An empty GroupName or TeacherId leaves that field as it is (a group keeps a name; its
// teacher can be replaced, not removed).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";
import { groupsByIds, membersAmong, updateGroup } from "./groups-store.ts";

export const modifyGroup = defineAction({
  name: "ModifyGroup",
  request: Type.Object({
    GroupId: Type.String({ maxLength: 128 }),
    SdkAppId: Type.Integer(),
    TeacherId: Type.Optional(Type.String({ maxLength: 128 })),
    GroupName: Type.Optional(Type.String({ maxLength: 1024 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    await ctx.db.transaction(async (tx) => {
      if (!(await groupsByIds(tx, app.appId, [req.GroupId])).has(req.GroupId)) throw lcicErrors.groupNotFound();
      const teacherId = req.TeacherId || undefined;
      const name = req.GroupName || undefined;
      if (teacherId === undefined && name === undefined) throw lcicErrors.groupParamInvalid();
      if (teacherId !== undefined) {
        if ((await unknownUsers(tx, app.appId, [teacherId])).length > 0) throw lcicErrors.groupTeachersNotExist();
        if ((await membersAmong(tx, app.appId, [req.GroupId], [teacherId])).length > 0) throw lcicErrors.groupTeacherNotMember();
      }
      await updateGroup(tx, app.appId, req.GroupId, { name, teacherId });
    });
    return {};
  },
});
