// DescribeSdkAppIdUsers: the app's users, in registration order, Page from 1 (default 1),
// Limit default 20. Tencent documents no maximum; we cap a page at 1000.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { usersPage } from "./users-store.ts";

export const describeSdkAppIdUsers = defineAction({
  name: "DescribeSdkAppIdUsers",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const page = req.Page ?? 1;
    const limit = req.Limit ?? 20;
    const { total, users } = await usersPage(ctx.db, app.appId, limit, (page - 1) * limit);
    return { Total: total, Users: users };
  },
});
