// DescribeSupervisors: the app's supervisors in the order they were made, Page from 1
// (default 1), Limit default 20, at most 100; the answer repeats the Page and Limit used.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { supervisorsPage } from "./supervisors-store.ts";

export const describeSupervisors = defineAction({
  name: "DescribeSupervisors",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    Page: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const page = req.Page ?? 1;
    const limit = req.Limit ?? 20;
    const { total, userIds } = await supervisorsPage(ctx.db, app.appId, limit, (page - 1) * limit);
    return { Total: total, Page: page, Limit: limit, UserIds: userIds };
  },
});
