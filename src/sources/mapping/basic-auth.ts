// HTTP basic authentication with a source credential (`roomledger source link --kind janus
// --key-id USER --secret PASSWORD`): what a media server whose only outbound authentication
// is basic auth (Janus's HTTP event handler) can carry. Throws the native Unauthorized.
import type { FastifyRequest } from "fastify";
import { nativeErrors } from "../../errors/native.ts";
import type { Queryable } from "../../storage/db.ts";
import { appOfPassword } from "./links-store.ts";

/** The app id the request's basic credential of `kind` belongs to. */
export async function basicAuthAppId(req: FastifyRequest, q: Queryable, kind: string): Promise<string> {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(String(req.headers.authorization ?? ""));
  if (!m) throw nativeErrors.unauthorized(`a ${kind} source credential is required as HTTP basic auth (roomledger source link)`);
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw nativeErrors.unauthorized("malformed basic credential");
  const appId = await appOfPassword(q, kind, decoded.slice(0, colon), decoded.slice(colon + 1));
  if (!appId) throw nativeErrors.unauthorized(`unknown ${kind} source credential`);
  return appId;
}
