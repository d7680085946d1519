// POST /admin/v1/reset {apps?: boolean}: empties every product's state (src/storage/reset.ts
// says what is kept). Mounted only on a development or in-memory server (routes.ts); on a
// production ledger the route does not exist (404), and the handler checks again.
import type { FastifyInstance } from "fastify";
import { Type, type Static } from "@sinclair/typebox";
import { ApiError } from "../../errors/api-error.ts";
import type { Db } from "../../storage/db.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";
import { resetLedger } from "../../storage/reset.ts";

const Reset = Type.Object({ apps: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

export interface ResetOptions {
  db: Db;
  tenancy: Tenancy;
  /** True on a development or in-memory server only. */
  allowed: boolean;
}

export async function resetRoute(app: FastifyInstance, { db, tenancy, allowed }: ResetOptions): Promise<void> {
  app.post<{ Body: Static<typeof Reset> | undefined }>("/reset", { schema: { body: Type.Optional(Reset) } }, async (req) => {
    if (!allowed) {
      throw new ApiError("Forbidden", {
        message: "reset is only allowed in development mode (--dev) or in memory (--in-memory)",
        httpStatus: 403,
      });
    }
    const result = await resetLedger(db, { apps: req.body?.apps === true });
    // Apps and ingest keys are cached for the life of the process: forget the dropped ones.
    if (req.body?.apps === true) tenancy.forgetAllApps();
    req.log.info({ emptied: result.emptied.length, jobsDeleted: result.jobsDeleted, apps: req.body?.apps === true }, "admin: ledger reset");
    return { reset: true, apps: req.body?.apps === true, ...result };
  });
}
