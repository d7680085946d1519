// Echo: a diagnostic action of the development-only `roomledger` service. It exercises the
// gateway end to end (signatures, validation, rate limit, envelope) without touching the
// database, which makes it the "cheap read action" of the gateway benchmark.
import { Type } from "@sinclair/typebox";
import { defineAction } from "../../protocols/tencent/action.ts";

export const echo = defineAction({
  name: "Echo",
  request: Type.Object({
    Message: Type.String({ maxLength: 64 }),
    Count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    Tags: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 5 })),
    Loud: Type.Optional(Type.Boolean()),
    Level: Type.Optional(Type.Union([Type.Literal("low"), Type.Literal("high")])),
    Nested: Type.Optional(Type.Object({ Id: Type.Integer() })),
  }),
  async handler(req, ctx) {
    return {
      Message: req.Loud ? req.Message.toUpperCase() : req.Message,
      Count: req.Count ?? 1,
      Tags: req.Tags ?? [],
      Level: req.Level ?? null,
      NestedId: req.Nested?.Id ?? null,
      Region: ctx.region,
      AccountId: ctx.account.accountId,
      Now: Math.floor(ctx.clock.now() / 1000),
    };
  },
});
