// Admin API of the rtc product (mounted at /admin/v1/rtc): X-Auth-Token issuance, and the
// QoS day partitions that exist (what retention keeps).
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { ProductContext } from "../../product-context.ts";
import type { RtcSettings } from "./settings.ts";
import { DEFAULT_TOKEN_TTL_S, tokensOf } from "./tokens.ts";
import { qosStoreOf } from "./qos-store.ts";

const CreateToken = Type.Object(
  {
    accountId: Type.Optional(Type.String()),
    label: Type.Optional(Type.String({ maxLength: 128 })),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 86400 })),
  },
  { additionalProperties: false },
);

export async function rtcAdminRoutes(app: FastifyInstance, ctx: ProductContext<RtcSettings>): Promise<void> {
  app.post<{ Body: Static<typeof CreateToken> }>("/tokens", { schema: { body: CreateToken } }, async (req) => {
    const body = req.body ?? {};
    const account = body.accountId ? await ctx.tenancy.account(body.accountId) : (await ctx.tenancy.accounts())[0];
    if (!account) throw new ApiError("NotFound", { message: `no account ${body.accountId ?? ""}`, httpStatus: 404 });
    const { token, expiresAt } = await tokensOf(ctx.db, ctx.tenancy).create(
      account,
      body.label ?? "",
      body.ttlSeconds ?? DEFAULT_TOKEN_TTL_S,
    );
    return { token, accountId: account.accountId, huaweiProjectId: account.huaweiProjectId, expiresAt: new Date(expiresAt).toISOString() };
  });

  app.get("/qos/partitions", async () => ({
    days: (await qosStoreOf(ctx.db).listPartitions(ctx.db)).map((d) => new Date(d).toISOString().slice(0, 10)),
    retentionDays: ctx.settings.retentionDays,
  }));
}
