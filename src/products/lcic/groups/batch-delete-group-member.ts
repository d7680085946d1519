// BatchDeleteGroupMember: removes up to 256 members ("最大值256", where adding allows 200)
// from up to 100 basic groups, as DeleteGroupMember does for one: all or nothing.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { unknownUsers } from "../users/users-store.ts";
import { memberChangeGroups, removeMembers } from "./groups-store.ts";

const MAX_MEMBERS = 256;

export const batchDeleteGroupMember = defineAction({
  name: "BatchDeleteGroupMember",
  request: Type.Object({
    GroupIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 100 }),
    SdkAppId: Type.Integer(),
    MemberIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1 }),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    await ctx.db.transaction(async (tx) => {
      const groups = await memberChangeGroups(tx, app.appId, req.GroupIds, []);
      if (req.MemberIds.length > MAX_MEMBERS) throw lcicErrors.groupMemberOverLimit();
      const members = [...new Set(req.MemberIds)];
      if ((await unknownUsers(tx, app.appId, members)).length > 0) throw lcicErrors.groupPartUsersNotExist();
      await removeMembers(tx, app.appId, groups, members);
    });
    return {};
  },
});
