// /admin/v1/trro/projects/:projectId/settings: the per-project timeouts of device reports.
// presenceSeconds: a device silent this long is offline; silenceSeconds: a session whose
// side has been silent this long is closed (silence-job.ts).
// POST /admin/v1/trro/projects/:projectId/devices/:deviceId/revoke-token: the device's
// reports are refused (401) from now on, on every instance (the token is never cached),
// until ModifyDevice gives it a new DeviceToken.
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { ProductContext } from "../../product-context.ts";
import { ensureProjectRow, updateSettings } from "./project-store.ts";
import { revokeDeviceToken } from "./device-store.ts";

const Settings = Type.Object(
  {
    presenceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    silenceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
  },
  { additionalProperties: false },
);

export async function trroAdminRoutes(app: FastifyInstance, ctx: ProductContext): Promise<void> {
  const project = async (id: string) => {
    const a = await ctx.tenancy.app(id);
    const row = a?.products.includes("trro") ? await ensureProjectRow(ctx.db, a, ctx.clock.now()) : null;
    if (!row) throw new ApiError("NotFound", { message: `no TRRO project ${id}`, httpStatus: 404 });
    return row;
  };
  // ModifyProjectSecMode's fields are shown (read only, without the key itself).
  const view = (r: { presence_ms: number; silence_ms: number; sec_mode: number; auto_register: number; field_list_enable: number }) => ({
    presenceSeconds: r.presence_ms / 1000,
    silenceSeconds: r.silence_ms / 1000,
    secMode: r.sec_mode,
    autoRegister: r.auto_register,
    fieldListEnable: r.field_list_enable,
  });

  app.get<{ Params: { projectId: string } }>("/projects/:projectId/settings", async (req) => view(await project(req.params.projectId)));

  app.put<{ Params: { projectId: string }; Body: Static<typeof Settings> }>(
    "/projects/:projectId/settings",
    { schema: { body: Settings } },
    async (req) => {
      const row = await project(req.params.projectId);
      await updateSettings(ctx.db, row.app_id, {
        presenceMs: req.body.presenceSeconds === undefined ? undefined : req.body.presenceSeconds * 1000,
        silenceMs: req.body.silenceSeconds === undefined ? undefined : req.body.silenceSeconds * 1000,
      });
      return view(await project(row.app_id));
    },
  );

  app.post<{ Params: { projectId: string; deviceId: string } }>("/projects/:projectId/devices/:deviceId/revoke-token", async (req) => {
    const row = await project(req.params.projectId);
    const { deviceId } = req.params;
    const revocations = ctx.tenancy.revocations;
    const done = await ctx.db.transaction(async (tx) => {
      const now = Date.now();
      if (!(await revokeDeviceToken(tx, row.app_id, deviceId, now))) return false;
      // Recorded with the other kinds, for the audit trail (nothing caches a device token).
      await revocations.record(tx, "trro-device-token", `${row.app_id}/${deviceId}`, now);
      return true;
    });
    if (!done)
      throw new ApiError("NotFound", { message: `no device ${deviceId} with a live token in project ${row.app_id}`, httpStatus: 404 });
    revocations.changed();
    return { projectId: row.app_id, deviceId, revoked: true };
  });
}
