// Admin API of the rtc product (mounted at /admin/v1/rtc): X-Auth-Token issuance and revocation, and the
// QoS day partitions that exist (what retention keeps).
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { ProductContext } from "../../product-context.ts";
import type { RtcSettings } from "./settings.ts";
import { DEFAULT_TOKEN_TTL_S, tokensOf } from "./tokens.ts";
import { qosStoreOf } from "./qos-store.ts";
import { browserAccessOf, ORIGIN } from "./browser/browser-access.ts";

const CreateToken = Type.Object(
  {
    accountId: Type.Optional(Type.String()),
    label: Type.Optional(Type.String({ maxLength: 128 })),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 86400 })),
  },
  { additionalProperties: false },
);

const RevokeToken = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, { additionalProperties: false });

const BrowserAccessBody = Type.Object(
  {
    origins: Type.Array(Type.String({ pattern: ORIGIN.source }), {
      maxItems: 50,
      description: "page origins allowed to upload, e.g. https://app.example.com",
    }),
    rotateSecret: Type.Optional(Type.Boolean({ description: "issue a new token secret (tokens signed with the old one stop working)" })),
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

  // Revocation: the gateway answers a revoked token as an unknown one (APIGW.0301 "decrypt
  // token fail"), at once here and within the revocation poll on other instances.
  app.post<{ Body: Static<typeof RevokeToken> }>("/tokens/revoke", { schema: { body: RevokeToken } }, async (req) => {
    if (!(await tokensOf(ctx.db, ctx.tenancy).revoke(req.body.token))) {
      throw new ApiError("NotFound", { message: "no such live X-Auth-Token", httpStatus: 404 });
    }
    return { revoked: true };
  });

  // Browser access of an app: the secret its backend mints browser upload tokens with, and
  // the origins allowed to upload (CORS). The secret is created on first use and returned.
  app.post<{ Params: { appId: string }; Body: Static<typeof BrowserAccessBody> }>(
    "/apps/:appId/browser",
    { schema: { body: BrowserAccessBody } },
    async (req) => {
      const target = await ctx.tenancy.app(req.params.appId);
      if (!target?.products.includes("rtc")) {
        throw new ApiError("NotFound", { message: `no RTC app ${req.params.appId}`, httpStatus: 404 });
      }
      const origins = [...new Set(req.body.origins)];
      return browserAccessOf(ctx.db).set(target.appId, origins, req.body.rotateSecret === true, Date.now());
    },
  );

  app.get("/qos/partitions", async () => ({
    days: (await qosStoreOf(ctx.db).listPartitions(ctx.db)).map((d) => new Date(d).toISOString().slice(0, 10)),
    retentionDays: ctx.settings.retentionDays,
  }));
}
