// DeleteGroup: deletes groups and their memberships. A group id that does not exist in the
// app is ResourceNotFound.GroupNotExist and nothing is deleted. Rooms bound to a deleted
// group keep its id but no longer expect its members.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { existingGroups, deleteGroups } from "./groups-store.ts";

export const deleteGroup = defineAction({
  name: "DeleteGroup",
  request: Type.Object({ GroupIds: Type.Array(Type.String({ maxLength: 128 }), { minItems: 1, maxItems: 100 }), SdkAppId: Type.Integer() }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    await ctx.db.transaction(async (tx) => {
      const groups = [...new Set(req.GroupIds)];
      if ((await existingGroups(tx, app.appId, groups)).size !== groups.length) throw lcicErrors.groupNotFound();
      await deleteGroups(tx, app.appId, groups);
    });
    return {};
  },
});
