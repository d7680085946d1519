// LoginOriginId: a fresh login token for the app's user with this OriginId (the id in the
// customer's own system given at registration).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { newToken, userByOriginId } from "./users-store.ts";

export const loginOriginId = defineAction({
  name: "LoginOriginId",
  request: Type.Object({ SdkAppId: Type.Integer(), OriginId: Type.String({ maxLength: 256 }) }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const user = req.OriginId ? await userByOriginId(ctx.db, req.OriginId, [app.appId]) : null;
    if (!user) throw lcicErrors.userNotFound();
    return { UserId: user.UserId, Token: newToken() };
  },
});
