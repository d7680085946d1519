// BatchRegister: up to 1000 users in one call, 10 calls per second. A user whose OriginId
// already exists in its app is overwritten (name, avatar) and keeps its UserId.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { newUserId, upsertUsers } from "./users-store.ts";

export const batchRegister = defineAction({
  name: "BatchRegister",
  rateLimit: 10,
  request: Type.Object({
    Users: Type.Array(
      Type.Object({
        SdkAppId: Type.Integer(),
        Name: Type.Optional(Type.String({ maxLength: 1024 })),
        OriginId: Type.Optional(Type.String({ maxLength: 256 })),
        Avatar: Type.Optional(Type.String({ maxLength: 2048 })),
      }),
      { maxItems: 1000 },
    ),
  }),
  async handler(req, ctx) {
    if (req.Users.length === 0) throw lcicErrors.invalidValue("Users", "at least 1 user");
    const apps = new Map<number, string>();
    for (const u of req.Users) if (!apps.has(u.SdkAppId)) apps.set(u.SdkAppId, (await lcicApp(ctx, u.SdkAppId)).appId);
    const now = ctx.clock.now();
    const rows = req.Users.map((u) => {
      const userId = newUserId();
      return { appId: apps.get(u.SdkAppId)!, userId, originId: u.OriginId || userId, name: u.Name ?? "", avatar: u.Avatar ?? "" };
    });
    // The last occurrence of an OriginId in the batch wins, as if registered one by one.
    const byOrigin = new Map(rows.map((r) => [`${r.appId}\u0000${r.originId}`, r]));
    const unique = [...byOrigin.values()];
    const stored = new Map((await upsertUsers(ctx.db, unique, now)).map((r) => [`${r.app_id}\u0000${r.origin_id}`, r.user_id]));
    return {
      Users: rows.map((r) => ({ SdkAppId: Number(r.appId), UserId: stored.get(`${r.appId}\u0000${r.originId}`)!, OriginId: r.originId })),
    };
  },
});
