// LoginUser: a fresh login token for a registered user.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicAppIds } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { newToken, userById } from "./users-store.ts";

export const loginUser = defineAction({
  name: "LoginUser",
  request: Type.Object({ UserId: Type.String({ maxLength: 128 }) }),
  async handler(req, ctx) {
    const user = await userById(ctx.db, req.UserId, await lcicAppIds(ctx));
    if (!user) throw lcicErrors.userNotFound();
    return { UserId: user.UserId, Token: newToken() };
  },
});
