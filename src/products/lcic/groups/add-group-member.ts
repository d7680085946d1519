// AddGroupMember: up to 200 members into one basic group; members already there stay. A
// combined group (联合群组) has no members of its own: InvalidParameter.GroupTypeInvalid. The
// group's teacher cannot be one of its members: InvalidParameter.GroupTeacherNotMember.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { addMembers, checkedMembers, memberChangeGroups } from "./groups-store.ts";

export const addGroupMember = defineAction({
  name: "AddGroupMember",
  request: Type.Object({
    GroupId: Type.String({ maxLength: 128 }),
    SdkAppId: Type.Integer(),
    MemberIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1 }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    await ctx.db.transaction(async (tx) => {
      const groups = await memberChangeGroups(tx, app.appId, [req.GroupId], req.MemberIds);
      const members = await checkedMembers(tx, app.appId, req.MemberIds);
      await addMembers(tx, app.appId, groups, members, ctx.clock.now());
    });
    return {};
  },
});
