// ModifyUserProfile: a user's Nickname (the registered Name) and/or Avatar. An absent or empty
// field is left as it is; with neither, nothing changes and the call succeeds. The change
// shows in the next computation of a room's statistics (UserName), as Tencent says: "课中的
// 用户信息不会立即同步修改".
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { updateProfile, userById } from "./users-store.ts";

export const modifyUserProfile = defineAction({
  name: "ModifyUserProfile",
  request: Type.Object({
    UserId: Type.String({ maxLength: 128 }),
    Nickname: Type.Optional(Type.String({ maxLength: 1024 })),
    Avatar: Type.Optional(Type.String({ maxLength: 2048 })),
  }),
  async handler(req, ctx) {
    const apps = await lcicAppIds(ctx);
    await ctx.db.transaction(async (tx) => {
      const user = await userById(tx, req.UserId, apps);
      if (!user) throw lcicErrors.userNotFound();
      await updateProfile(tx, String(user.SdkAppId), user.UserId, { name: req.Nickname || undefined, avatar: req.Avatar || undefined });
    });
    return {};
  },
});
