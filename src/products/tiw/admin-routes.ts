// Admin API of the push service, at /admin/v1/tiw/: an app's limits (the cloud sets them
// per contract; here the operator does).
//   GET  /admin/v1/tiw/apps/:appId/push-settings
//   POST /admin/v1/tiw/apps/:appId/push-settings  {maxConcurrentPushes?, maxAttempts?, maxConcurrentRecords?}
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { ProductContext } from "../../product-context.ts";
import { getSettings, setSettings } from "./push-store.ts";

const Params = Type.Object({ appId: Type.String({ maxLength: 64 }) });
const Body = Type.Object(
  {
    maxConcurrentPushes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 1_000_000, description: "active push tasks per app (LimitExceeded.TaskConcurrency beyond)" }),
    ),
    maxConcurrentRecords: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000,
        description: "online recordings in their room per app (LimitExceeded.TaskConcurrency beyond)",
      }),
    ),
    maxAttempts: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        description: "workers a task is offered to before it fails (applies to tasks started later)",
      }),
    ),
  },
  { additionalProperties: false },
);

export async function tiwAdminRoutes(app: FastifyInstance, ctx: ProductContext): Promise<void> {
  const tiwAppOrThrow = async (appId: string) => {
    const target = await ctx.tenancy.app(appId);
    if (!target?.products.includes("tiw")) throw new ApiError("NotFound", { message: `no TIW app ${appId}`, httpStatus: 404 });
    return target;
  };
  app.get<{ Params: Static<typeof Params> }>("/apps/:appId/push-settings", { schema: { params: Params } }, async (req) => {
    const target = await tiwAppOrThrow(req.params.appId);
    return { appId: target.appId, ...(await getSettings(ctx.db, target.appId)) };
  });
  app.post<{ Params: Static<typeof Params>; Body: Static<typeof Body> }>(
    "/apps/:appId/push-settings",
    { schema: { params: Params, body: Body } },
    async (req) => {
      const target = await tiwAppOrThrow(req.params.appId);
      return { appId: target.appId, ...(await setSettings(ctx.db, target.appId, req.body)) };
    },
  );
}
