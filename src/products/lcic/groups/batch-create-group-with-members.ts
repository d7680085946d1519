// BatchCreateGroupWithMembers: up to 256 basic groups (name, optional teacher), each with the
// same up to 200 members; GroupIds in the order given. All or nothing: an unknown teacher
// (InvalidParameter.GroupTeachersNotExist), a teacher among the members
// (InvalidParameter.GroupTeacherNotMember) or an unknown member
// (ResourceNotFound.GroupPartUsersNotExist) creates no group.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";
import { addMembers, checkedMembers, insertGroup, newGroupId } from "./groups-store.ts";

export const batchCreateGroupWithMembers = defineAction({
  name: "BatchCreateGroupWithMembers",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    GroupBaseInfos: Type.Array(
      Type.Object({ GroupName: Type.String({ maxLength: 1024 }), TeacherId: Type.Optional(Type.String({ maxLength: 128 })) }),
      { minItems: 1, maxItems: 256 },
    ),
    MemberIds: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const groups = req.GroupBaseInfos.map((g) => ({
      appId: app.appId,
      groupId: newGroupId(),
      name: g.GroupName,
      teacherId: g.TeacherId ?? "",
    }));
    const memberIds = req.MemberIds ?? [];
    await ctx.db.transaction(async (tx) => {
      const teachers = [...new Set(groups.map((g) => g.teacherId).filter((t) => t !== ""))];
      if ((await unknownUsers(tx, app.appId, teachers)).length > 0) throw lcicErrors.groupTeachersNotExist();
      if (teachers.some((t) => memberIds.includes(t))) throw lcicErrors.groupTeacherNotMember();
      const members = await checkedMembers(tx, app.appId, memberIds);
      const now = ctx.clock.now();
      for (const g of groups) await insertGroup(tx, g, now);
      await addMembers(
        tx,
        app.appId,
        groups.map((g) => g.groupId),
        members,
        now,
      );
    });
    return { GroupIds: groups.map((g) => g.groupId) };
  },
});
