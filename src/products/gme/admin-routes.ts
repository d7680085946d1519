// Admin routes of GME (mounted at /admin/v1/gme/): the console switches the cloud has no
// API for.
//   GET  /apps/:bizId/recording
//   POST /apps/:bizId/recording  {opened?: boolean, emptyRoomStopSeconds?: integer | null}
// `opened` is the recording service switch (UnsupportedOperation.ServiceNotOpened while
// off); `emptyRoomStopSeconds` how long an emptied room keeps recording (null: until
// StopRecord).
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { ProductContext } from "../../product-context.ts";
import { appSettings, saveAppSettings, type GmeAppSettings } from "./settings-store.ts";

const Params = Type.Object({ bizId: Type.String({ maxLength: 32 }) });
const Change = Type.Object(
  {
    opened: Type.Optional(Type.Boolean()),
    // Null first: Fastify's Ajv coerces types, and would turn null into 0 for an integer.
    emptyRoomStopSeconds: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0, maximum: 7 * 86400 })])),
  },
  { additionalProperties: false },
);

const view = (bizId: string, s: GmeAppSettings) => ({ bizId, opened: s.recordingOpened, emptyRoomStopSeconds: s.emptyRoomStopSeconds });

export async function gmeAdminRoutes(app: FastifyInstance, ctx: ProductContext): Promise<void> {
  const gmeApp = async (bizId: string) => {
    const target = await ctx.tenancy.app(bizId);
    if (!target?.products.includes("gme")) throw new ApiError("NotFound", { message: `no GME app ${bizId}`, httpStatus: 404 });
    return target;
  };

  app.get<{ Params: Static<typeof Params> }>("/apps/:bizId/recording", { schema: { params: Params } }, async (req) => {
    const target = await gmeApp(req.params.bizId);
    return view(target.appId, await appSettings(ctx.db, target.appId));
  });

  app.post<{ Params: Static<typeof Params>; Body: Static<typeof Change> }>(
    "/apps/:bizId/recording",
    { schema: { params: Params, body: Change } },
    async (req) => {
      const target = await gmeApp(req.params.bizId);
      return ctx.db.transaction(async (tx) => {
        const current = await appSettings(tx, target.appId);
        const next: GmeAppSettings = {
          ...current,
          recordingOpened: req.body.opened ?? current.recordingOpened,
          emptyRoomStopSeconds: req.body.emptyRoomStopSeconds === undefined ? current.emptyRoomStopSeconds : req.body.emptyRoomStopSeconds,
        };
        await saveAppSettings(tx, target.appId, next, ctx.clock.now());
        return view(target.appId, next);
      });
    },
  );
}
