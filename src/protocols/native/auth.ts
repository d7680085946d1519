// Bearer authentication with an app's ingest key (ingest API, agent protocol, QoS uploads,
// recorder views).
import type { FastifyRequest } from "fastify";
import { nativeErrors } from "../../errors/native.ts";
import type { App } from "../../tenancy/accounts.ts";
import type { Tenancy } from "../../tenancy/tenancy.ts";

export async function bearerApp(req: FastifyRequest, tenancy: Pick<Tenancy, "appOfIngestKey">): Promise<App> {
  const auth = req.headers.authorization;
  const m = typeof auth === "string" ? /^Bearer (\S+)$/.exec(auth) : null;
  if (!m) throw nativeErrors.unauthorized("an ingest key is required as `Authorization: Bearer <key>`");
  const app = await tenancy.appOfIngestKey(m[1]!);
  if (!app) throw nativeErrors.unauthorized("unknown ingest key");
  return app;
}
