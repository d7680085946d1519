// Per-app LCIC settings of the statistics job, set through the admin API
// (POST /admin/v1/lcic/settings {appId, statisticsDelaySeconds?, statisticsGraceSeconds?}).
// - delay: after a room ends, events still in flight from the clients get this long to
//   arrive before the statistics are computed (DescribeRoomStatistics answers
//   ResourceUnavailable.RoomStatistics meanwhile, as the cloud does right after a class).
// - grace: events arriving later than this after the end are kept in the ingest log but no
//   longer change the room (its statistics are final).
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import type { ProductContext } from "../../product-context.ts";
import { saveSettings, settingsOf } from "./settings-store.ts";

const SetSettings = Type.Object(
  {
    appId: Type.String({ minLength: 1, maxLength: 64 }),
    statisticsDelaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    statisticsGraceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400 })),
  },
  { additionalProperties: false },
);

export async function settingsRoutes(app: FastifyInstance, ctx: ProductContext): Promise<void> {
  app.post<{ Body: Static<typeof SetSettings> }>("/settings", { schema: { body: SetSettings } }, async (req, reply) => {
    const target = await ctx.tenancy.app(req.body.appId);
    if (!target?.products.includes("lcic"))
      return reply.code(404).send({ error: { code: "NotFound", message: "no LCIC app with this id" } });
    const current = await settingsOf(ctx.db, target.appId);
    const next = {
      statisticsDelaySeconds: req.body.statisticsDelaySeconds ?? current.statisticsDelaySeconds,
      statisticsGraceSeconds: req.body.statisticsGraceSeconds ?? current.statisticsGraceSeconds,
    };
    await saveSettings(ctx.db, target.appId, next);
    return { appId: target.appId, ...next };
  });
  app.get<{ Querystring: { appId?: string } }>("/settings", async (req, reply) => {
    const target = req.query.appId ? await ctx.tenancy.app(req.query.appId) : null;
    if (!target?.products.includes("lcic"))
      return reply.code(404).send({ error: { code: "NotFound", message: "no LCIC app with this id" } });
    return { appId: target.appId, ...(await settingsOf(ctx.db, target.appId)) };
  });
}
