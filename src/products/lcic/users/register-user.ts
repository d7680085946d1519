// RegisterUser: a new user of an LCIC app, with a login token. An OriginId already used in
// the app is FailedOperation.OriginIdExists (BatchRegister, by contrast, overwrites).
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../../protocols/tencent/action.ts";
import { sqlState, UNIQUE_VIOLATION } from "../../../storage/db.ts";
import { lcicApp } from "../apps.ts";
import { lcicErrors } from "../errors.ts";
import { newToken, newUserId, insertUser } from "./users-store.ts";

export const registerUser = defineAction({
  name: "RegisterUser",
  request: Type.Object({
    SdkAppId: Type.Integer(),
    Name: Type.Optional(Type.String({ maxLength: 1024 })),
    OriginId: Type.Optional(Type.String({ maxLength: 256 })),
    Avatar: Type.Optional(Type.String({ maxLength: 2048 })),
  }),
  async handler(req, ctx) {
    const app = await lcicApp(ctx, req.SdkAppId);
    const userId = newUserId();
    try {
      // "入参为空时默认赋值为UserId": an empty OriginId becomes the UserId.
      const user = { appId: app.appId, userId, originId: req.OriginId || userId, name: req.Name ?? "", avatar: req.Avatar ?? "" };
      await insertUser(ctx.db, user, ctx.clock.now());
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw lcicErrors.originIdExists();
      throw err;
    }
    return { UserId: userId, Token: newToken() };
  },
});
