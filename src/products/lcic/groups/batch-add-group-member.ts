// BatchAddGroupMember: up to 200 members into up to 100 groups; members already there stay.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { addMembers, checkedMembers, existingGroups } from "./groups-store.ts";

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
      const groups = [...new Set(req.GroupIds)];
      const found = await existingGroups(tx, app.appId, groups);
      if (found.size !== groups.length) throw lcicErrors.groupNotFound();
      const members = await checkedMembers(tx, app.appId, req.MemberIds);
      await addMembers(tx, app.appId, groups, members, ctx.clock.now());
    });
    return {};
  },
});
