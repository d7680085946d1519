// DeleteGroupMember: removes up to 200 members from one basic group ("联合群组无法删除群组成员":
// a combined group is InvalidParameter.GroupTypeInvalid). Every id must be a registered user
// of the app (ResourceNotFound.GroupPartUsersNotExist, nothing removed); a user who is not in
// the group is skipped, so a repeated call succeeds.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { checkedMembers, memberChangeGroups, removeMembers } from "./groups-store.ts";

export const deleteGroupMember = defineAction({
  name: "DeleteGroupMember",
  request: Type.Object({
    GroupId: Type.String({ maxLength: 128 }),
    SdkAppId: Type.Integer(),
    MemberIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1 }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    await ctx.db.transaction(async (tx) => {
      // No teacher check on removal: the teacher is never a member.
      const groups = await memberChangeGroups(tx, app.appId, [req.GroupId], []);
      const members = await checkedMembers(tx, app.appId, req.MemberIds);
      await removeMembers(tx, app.appId, groups, members);
    });
    return {};
  },
});
