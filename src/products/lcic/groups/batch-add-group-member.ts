// BatchAddGroupMember: up to 200 members into up to 100 basic groups; members already there
// stay. A combined group is InvalidParameter.GroupTypeInvalid, a group's own teacher as a
// member InvalidParameter.GroupTeacherNotMember (as AddGroupMember).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { addMembers, checkedMembers, memberChangeGroups } from "./groups-store.ts";

export const batchAddGroupMember = defineAction({
  name: "BatchAddGroupMember",
  request: Type.Object({
    GroupIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 100 }),
    SdkAppId: Type.Integer(),
    MemberIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1 }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    await ctx.db.transaction(async (tx) => {
      const groups = await memberChangeGroups(tx, app.appId, req.GroupIds, req.MemberIds);
      const members = await checkedMembers(tx, app.appId, req.MemberIds);
      await addMembers(tx, app.appId, groups, members, ctx.clock.now());
    });
    return {};
  },
});
