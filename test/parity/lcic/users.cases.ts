// LCIC users: RegisterUser, BatchRegister, LoginUser, DescribeUser, DeleteUser, DescribeSdkAppIdUsers.
import { cases } from "../case.ts";
import { lcicClass } from "./fixture.ts";

export default cases([
  {
    action: "RegisterUser",
    name: "name, origin id and avatar",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("RegisterUser", { SdkAppId: k.sdkAppId, Name: "Dee", OriginId: "s-dee", Avatar: "https://school.example/dee.png" });
    },
    populated: ["UserId", "Token"],
  },
  {
    action: "BatchRegister",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("BatchRegister", {
        Users: [
          { SdkAppId: k.sdkAppId, Name: "Eve", OriginId: "s-eve", Avatar: "https://school.example/eve.png" },
          { SdkAppId: k.sdkAppId, Name: "Fay" },
        ],
      });
    },
    populated: ["Users[].UserId", "Users[].SdkAppId", "Users[].OriginId"],
  },
  {
    action: "LoginUser",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("LoginUser", { UserId: k.teacher });
    },
    populated: ["UserId", "Token"],
  },
  {
    action: "DescribeUser",
    name: "by OriginId",
    async run(ctx) {
      await lcicClass(ctx);
      await ctx.call("DescribeUser", { OriginId: "t-1" });
    },
    populated: ["SdkAppId", "UserId", "Name", "Avatar", "OriginId"],
  },
  {
    action: "DeleteUser",
    async run(ctx) {
      const k = await lcicClass(ctx);
      const { UserId } = await ctx.call("RegisterUser", { SdkAppId: k.sdkAppId, Name: "Gone" });
      await ctx.call("DeleteUser", { UserId });
    },
  },
  {
    action: "DescribeSdkAppIdUsers",
    async run(ctx) {
      const k = await lcicClass(ctx);
      await ctx.call("DescribeSdkAppIdUsers", { SdkAppId: k.sdkAppId, Page: 1, Limit: 100 });
    },
    populated: ["Total", "Users[].UserId", "Users[].Name", "Users[].Avatar", "Users[].OriginId"],
  },
]);
